"""Issue 11's mail findings, each replayed against a loopback SMTP server with scripted answers
(in this process, the clock moved on instead of waiting; tests/subscriptions/test_faults.py runs
the same faults through the real worker)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, CommentMail
from comments.policy import approve
from comments.tasks import notify_followers as notify_thread
from comments.tasks import notify_moderators
from ops.models import Alert
from subscriptions import delivery
from subscriptions.models import Delivery, Follower, Suppression
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory, UserFactory
from tests.subscriptions.conftest import publish, run_queued_tasks
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


def drain(clock, settings, rounds=12):
    """Run what is due, move the clock past the longest wait, again, until nothing is owed."""
    for _ in range(rounds):
        run_queued_tasks()
        clock.shift(timedelta(seconds=max(settings.MAIL_RETRY_DELAYS) + 1))
    run_queued_tasks()


@pytest.mark.parametrize(
    "refusal",
    [
        {"rcpt_all": "554 5.7.1 Relay access denied"},
        # No policy code, but every address refused: the relay's doing, not 20 dead mailboxes.
        {"rcpt_all": "550 5.1.1 No such user here"},
        {"mail_from": "553 5.7.1 Sender address rejected: not owned by user"},
    ],
    ids=["policy-554", "every-address-550", "sender-refused"],
)
def test_finding_1_relay_refusal_never_unsubscribes(
    db_tasks, smtp_server, committed, clock, settings, editor_client, refusal
):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 10
    followers = FollowerFactory.create_batch(20)
    for name, answer in refusal.items():
        setattr(smtp_server, name, answer)
    with committed():
        article = publish(title="Relay troubles")
    for _ in range(3):
        run_queued_tasks()
        clock.shift(timedelta(seconds=max(settings.MAIL_RETRY_DELAYS[:3]) + 1))

    assert not smtp_server.messages
    assert Follower.objects.active().count() == 20
    assert not Suppression.objects.exists()
    assert not Delivery.objects.filter(status=Delivery.Status.BOUNCED).exists()
    # Staff were told; the relay refused their mail too, so the dashboard shows it.
    alert = Alert.objects.filter(source="follower mail").first()
    assert alert is not None and not alert.mailed
    assert "could not be mailed" in editor_client.get("/admin/").content.decode()

    for name in refusal:
        setattr(smtp_server, name, None)
    drain(clock, settings)
    assert smtp_server.count_to() == {f.email: 1 for f in followers}
    assert set(Delivery.objects.filter(article=article).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }


def test_finding_1_a_few_dead_addresses_among_many_still_bounce(
    db_tasks, smtp_server, committed, settings
):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 10
    followers = FollowerFactory.create_batch(10)
    smtp_server.rcpt[followers[4].email] = "550 5.1.1 No such user here"
    with committed():
        publish()
    run_queued_tasks()
    assert Follower.objects.get(pk=followers[4].pk).status == Follower.Status.BOUNCED
    assert Suppression.objects.get().reason == Suppression.Reason.BOUNCED
    assert smtp_server.count_to() == {f.email: 1 for f in followers if f != followers[4]}


def test_finding_2_full_mailbox_does_not_block_others(
    db_tasks, smtp_server, committed, clock, settings
):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 10
    settings.MAIL_RETRY_DELAYS = [60, 60]  # three attempts in all
    followers = FollowerFactory.create_batch(31)
    full = followers[3]
    smtp_server.rcpt[full.email] = "452 4.2.2 Mailbox full"
    with committed():
        publish()
    run_queued_tasks()
    # Nobody waited behind the full mailbox, nor was charged an attempt for it.
    assert smtp_server.count_to() == {f.email: 1 for f in followers if f != full}
    others = Delivery.objects.exclude(follower=full)
    assert set(others.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}

    drain(clock, settings)
    row = Delivery.objects.get(follower=full)
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 3)
    assert smtp_server.refusals[full.email] == 3
    assert Follower.objects.get(pk=full.pk).status == Follower.Status.ACTIVE
    assert set(others.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}


@pytest.fixture
def thread():
    article = ArticleFactory()
    for n in range(5):
        approved_comment(article, user_name=f"R{n}", user_email=f"r{n}@example.org", followup=True)
    return article


def new_comment(article, status=Comment.Status.PENDING):
    comment = Comment(
        content_object=article,
        site_id=1,
        user_name="Writer",
        user_email="writer@example.org",
        comment="A new reply.",
    )
    comment.save()
    comment.set_status(status)
    return comment


def test_finding_3_comment_followups_once_each(
    db_tasks, smtp_server, committed, clock, settings, thread
):
    smtp_server.rcpt["r1@example.org"] = "550 5.1.1 No such user here"
    smtp_server.rcpt["r3@example.org"] = "452 4.2.2 Mailbox full"
    comment = new_comment(thread)
    with committed():
        approve(comment)
    run_queued_tasks()
    # The 550 stopped nobody; the 452 waits alone.
    assert smtp_server.count_to() == {f"r{n}@example.org": 1 for n in (0, 2, 4)}

    del smtp_server.rcpt["r3@example.org"]  # space in the mailbox again
    notify_thread.enqueue(comment.pk)  # and the task runs twice, as a retry or a lost ack would
    drain(clock, settings)
    assert smtp_server.count_to() == {f"r{n}@example.org": 1 for n in (0, 2, 3, 4)}
    assert dict(CommentMail.objects.values_list("address", "status")) == {
        "r0@example.org": "sent",
        "r1@example.org": "refused",
        "r2@example.org": "sent",
        "r3@example.org": "sent",
        "r4@example.org": "sent",
    }


def test_finding_3_moderator_mail_once_each(db_tasks, smtp_server, committed, clock, settings):
    moderators = [
        UserFactory(username=f"mod{n}", email=f"mod{n}@example.org", groups=["Editors"])
        for n in range(4)
    ]
    smtp_server.rcpt["mod0@example.org"] = "550 5.1.1 No such user here"
    smtp_server.rcpt["mod2@example.org"] = "452 4.2.2 Mailbox full"
    comment = new_comment(ArticleFactory())
    with committed():
        notify_moderators.enqueue(comment.pk)
    run_queued_tasks()
    assert smtp_server.count_to() == {"mod1@example.org": 1, "mod3@example.org": 1}
    del smtp_server.rcpt["mod2@example.org"]
    drain(clock, settings)
    assert smtp_server.count_to() == {m.email: 1 for m in moderators[1:]}


def test_finding_9_a_batch_that_failed_on_the_database_is_requeued_in_seconds(
    db_tasks, smtp_server, committed, settings
):
    settings.SUBSCRIPTIONS_SENDERS = 1  # one batch, so one retry
    FollowerFactory.create_batch(3)
    with committed():
        publish()
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(delivery, "send_batch", side_effect=lost):
        run_queued_tasks()
    retry = DBTaskResult.objects.get(
        task_path="subscriptions.tasks.send_deliveries", status="READY"
    )
    wait = (retry.run_after - timezone.now()).total_seconds()
    assert (
        0 < wait <= settings.SUBSCRIPTIONS_DB_RETRY_SECONDS < settings.SUBSCRIPTIONS_SWEEP_SECONDS
    )


@pytest.mark.django_db(transaction=True)
def test_finding_9_a_mail_the_server_took_is_recorded_as_sent_over_a_new_connection(
    db_tasks, smtp_server
):
    """The connection is lost just as the accepted mail is to be recorded: the write is tried
    again on a fresh connection, so the row is "sent", never "sending" then "caught mid-send"
    (where "Send again" would mail a duplicate)."""
    followers = FollowerFactory.create_batch(4)
    article = publish()
    delivery.fan_out(article.pk)
    real_record_all_sent = delivery.record_all_sent
    lost = []

    def record_all_sent_once_lost(rows, now=None):
        if not lost:
            lost.extend(row.pk for row in rows)
            raise OperationalError("terminating connection due to administrator command")
        return real_record_all_sent(rows, now)

    with mock.patch.object(delivery, "record_all_sent", record_all_sent_once_lost):
        delivery.send_batch(article.pk)
    assert lost
    assert smtp_server.count_to() == {f.email: 1 for f in followers}
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
