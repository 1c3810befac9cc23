from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from mailer.failures import backoff
from subscriptions import delivery, services
from subscriptions.models import Delivery, Follower, Suppression
from subscriptions.tasks import recover, retry_deliveries
from tests.factories import UserFactory
from tests.smtp import body_text, free_port
from tests.subscriptions.conftest import publish, run_queued_tasks
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def followers():
    return FollowerFactory.create_batch(7)


def statuses(article):
    return sorted(Delivery.objects.filter(article=article).values_list("status", flat=True))


def everyone_got_exactly_one(inbox, followers):
    return inbox.count_to() == {f.email: 1 for f in followers}


def test_mail_goes_in_batches_over_one_connection_each(
    db_tasks, smtp_server, committed, followers, settings
):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 3
    with committed():
        publish()
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, followers)
    assert smtp_server.connections == 3  # 3 + 3 + 1


def test_smtp_going_down_during_a_send_is_retried_later_and_everyone_gets_exactly_one(
    db_tasks, smtp_server, committed, followers, clock, settings
):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 5
    settings.SUBSCRIPTIONS_SENDERS = 1  # one chain of batches: its boundaries are the point
    smtp_server.down_after = 2  # two accepted, then "421 service not available"
    with committed():
        article = publish()
    run_queued_tasks()

    assert len(smtp_server.messages) == 2
    assert statuses(article) == ["pending"] * 5 + ["sent"] * 2
    # The stopped batch (5) carries the error; the 2 beyond it were not tried yet.
    errors = list(Delivery.objects.exclude(last_error="").values_list("last_error", flat=True))
    assert len(errors) == 3 and all("421" in error for error in errors)
    retry = DBTaskResult.objects.filter(
        task_path="subscriptions.tasks.send_deliveries", status="READY"
    ).get()
    assert retry.run_after > timezone.now()

    smtp_server.down_after = None  # the relay is back, but the retry is not due yet
    run_queued_tasks()
    assert len(smtp_server.messages) == 2

    clock.shift(timedelta(seconds=settings.MAIL_RETRY_DELAYS[0] + 1))
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, followers)
    assert statuses(article) == ["sent"] * 7


def test_a_relay_that_refuses_connections_leaves_every_mail_pending(
    db_tasks, smtp_server, committed, followers, clock, settings
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with committed():
        article = publish()
    run_queued_tasks()
    assert statuses(article) == ["pending"] * 7
    assert "ConnectionRefusedError" in Delivery.objects.first().last_error

    settings.EMAIL_PORT = port
    clock.shift(timedelta(minutes=2))
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, followers)


def test_a_refused_recipient_is_marked_bounced_and_never_retried(
    db_tasks, smtp_server, committed, followers, clock
):
    gone = followers[2]
    smtp_server.refuse = {gone.email}
    with committed():
        article = publish()
    run_queued_tasks()

    assert everyone_got_exactly_one(smtp_server, [f for f in followers if f != gone])
    row = Delivery.objects.get(follower=gone)
    assert (row.status, row.attempts) == (Delivery.Status.BOUNCED, 1)
    assert "550" in row.last_error
    gone.refresh_from_db()
    assert gone.status == Follower.Status.BOUNCED
    assert Suppression.objects.get().reason == Suppression.Reason.BOUNCED

    smtp_server.refuse = set()
    clock.shift(timedelta(days=2))
    recover()
    run_queued_tasks()
    assert smtp_server.to(gone.email) == []
    assert statuses(article) == ["bounced"] + ["sent"] * 6


def test_a_temporary_refusal_for_one_recipient_defers_only_them(
    db_tasks, smtp_server, committed, followers, clock
):
    greylisted = followers[3]
    smtp_server.defer = {greylisted.email}
    with committed():
        article = publish()
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, [f for f in followers if f != greylisted])
    assert statuses(article) == ["pending"] + ["sent"] * 6
    row = Delivery.objects.get(follower=greylisted)
    assert "451" in row.last_error and row.attempts == 1
    # Each row counts its own attempts: one each, the deferred one included.
    assert set(Delivery.objects.exclude(pk=row.pk).values_list("attempts", flat=True)) == {1}

    smtp_server.defer = set()
    clock.shift(timedelta(minutes=2))
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, followers)


def test_a_dropped_connection_mid_message_is_shown_to_staff_not_sent_twice(
    db_tasks, smtp_server, committed, followers, clock
):
    unlucky = followers[1]
    smtp_server.hang_up = {unlucky.email}  # the server takes it, then the line drops
    with committed():
        article = publish()
    run_queued_tasks()
    row = Delivery.objects.get(follower=unlucky)
    assert row.status == Delivery.Status.INTERRUPTED
    assert "may or may not have arrived" in row.last_error

    smtp_server.hang_up = set()
    clock.shift(timedelta(minutes=2))
    recover()
    run_queued_tasks()
    # Everyone has exactly one, the unlucky follower included; nobody got a second.
    assert everyone_got_exactly_one(smtp_server, followers)
    assert statuses(article) == ["interrupted"] + ["sent"] * 6


def test_a_persistent_failure_is_given_up_and_staff_are_told(
    db_tasks, smtp_server, committed, clock, settings
):
    settings.MAIL_RETRY_DELAYS = [60, 60]  # three attempts in all
    UserFactory(username="editor", email="editor@example.org", groups=["Editors"])
    follower = FollowerFactory(email="stuck@example.net")
    smtp_server.defer = {follower.email}
    with committed():
        article = publish(title="Ergonomic chairs, honestly")
    for _ in range(3):
        run_queued_tasks()
        clock.shift(timedelta(seconds=61))
    run_queued_tasks()

    row = Delivery.objects.get()
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 3)
    assert smtp_server.to(follower.email) == []
    [alert] = smtp_server.to("editor@example.org")
    assert "Ergonomic chairs, honestly" in alert["Subject"]
    text = body_text(alert)
    assert "given up" in text and "451" in text
    assert f"/admin/subscriptions/delivery/?article__id__exact={article.pk}" in text

    # Once the relay works again, staff retry the failed ones: sent once.
    smtp_server.defer = set()
    with committed():
        assert retry_deliveries(Delivery.objects.all()) == 1
    run_queued_tasks()
    assert len(smtp_server.to(follower.email)) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_a_follower_who_leaves_before_their_turn_gets_nothing(db_tasks, smtp_server, followers):
    article = publish()
    delivery.fan_out(article.pk)
    services.unsubscribe(followers[0])
    services.erase(followers[1])
    delivery.send_batch(article.pk)
    assert smtp_server.count_to() == {f.email: 1 for f in followers[2:]}
    assert Delivery.objects.get(follower=followers[0]).status == Delivery.Status.SKIPPED


def test_an_article_unpublished_mid_send_sends_the_rest_only_when_public_again(
    db_tasks, smtp_server, followers, settings
):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 3
    article = publish()
    delivery.fan_out(article.pk)
    delivery.send_batch(article.pk)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    delivery.send_batch(article.pk)
    assert len(smtp_server.messages) == 3
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    recover()
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, followers)


def test_the_sweep_flags_a_mail_left_sending_by_a_dead_worker_and_does_not_resend_it(
    db_tasks, smtp_server, followers, clock, settings
):
    article = publish()
    delivery.fan_out(article.pk)
    # A worker claimed this one, then died before it could record the outcome.
    caught = Delivery.objects.order_by("pk").first()
    Delivery.objects.filter(pk=caught.pk).update(
        status=Delivery.Status.SENDING, claimed_at=timezone.now()
    )
    recover()  # too early to tell: a live worker may still be sending it
    assert Delivery.objects.get(pk=caught.pk).status == Delivery.Status.SENDING

    clock.shift(timedelta(seconds=settings.SUBSCRIPTIONS_SENDING_TIMEOUT + 1))
    recover()
    run_queued_tasks()
    assert Delivery.objects.get(pk=caught.pk).status == Delivery.Status.INTERRUPTED
    assert smtp_server.to(caught.follower.email) == []
    assert everyone_got_exactly_one(smtp_server, [f for f in followers if f != caught.follower])


def test_tasks_check_everything_again_so_running_twice_sends_nothing_twice(
    db_tasks, smtp_server, followers
):
    article = publish()
    assert delivery.fan_out(article.pk) == 7
    assert delivery.fan_out(article.pk) is None
    delivery.send_batch(article.pk)
    delivery.send_batch(article.pk)
    recover()
    run_queued_tasks()
    assert everyone_got_exactly_one(smtp_server, followers)


def test_postponed_mail_backs_off_longer_each_time(db_tasks, smtp_server, committed, clock):
    follower = FollowerFactory()
    smtp_server.down = True
    with committed():
        publish()
    waits = []
    for _ in range(3):
        run_queued_tasks()
        row = Delivery.objects.get()
        waits.append(round((row.next_attempt_at - timezone.now()).total_seconds()))
        clock.shift(timedelta(seconds=waits[-1] + 1))
    assert waits == [60, 300, 900]
    assert Delivery.objects.get().attempts == 3
    assert smtp_server.to(follower.email) == []
    assert timedelta(seconds=waits[0]) == backoff(1)
