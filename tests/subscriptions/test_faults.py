"""Fault injection: the real worker (both task backends), a loopback SMTP server whose answers
are scripted per address, and faults landing in the middle of a batch.

Every scenario sends one new article to the blog's followers and one comment follow-up to a
thread's followers, and ends the same way: every active follower and every thread follower
mailed exactly once (counted at the SMTP server), nobody suppressed because of the relay, and
what could not be known (a mail caught mid-send) shown to staff.
"""

import pytest
from django.db import connection

from comments.models import Comment, CommentMail
from comments.policy import approve
from ops.models import Alert
from subscriptions import delivery
from subscriptions.models import Delivery, Follower, Suppression
from tests.comments.conftest import approved_comment
from tests.factories import UserFactory
from tests.subscriptions.conftest import publish
from tests.subscriptions.factories import FollowerFactory
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

# Small batches, so a fault lands between batches and inside one; short waits between tries.
WORKER = {"SUBSCRIPTIONS_BATCH_SIZE": 5, "MAIL_RETRY_DELAYS": "1,1,2,4,8,16,32"}
IN_FLIGHT = (Delivery.Status.PENDING, Delivery.Status.SENDING)


class World:
    """Twelve active followers (and some who are not), a thread four readers follow."""

    def __init__(self):
        self.editor = UserFactory(username="editor", email="editor@example.org", groups=["Editors"])
        self.thread = publish(title="Sciatica: what helps")
        # The thread's article went out before anyone followed the blog.
        delivery.fan_out(self.thread.pk)
        self.followers = FollowerFactory.create_batch(12)
        FollowerFactory(email="pending@example.net", status=Follower.Status.PENDING)
        FollowerFactory(email="left@example.net", status=Follower.Status.UNSUBSCRIBED)
        self.thread_followers = [f"thread{n}@example.org" for n in range(4)]
        for n, address in enumerate(self.thread_followers):
            approved_comment(self.thread, user_name=f"T{n}", user_email=address, followup=True)
        approved_comment(self.thread, user_name="Quiet", user_email="quiet@example.org")
        self.article = None
        self.comment = None

    def start(self):
        """The article is published and the comment approved: both mails are owed."""
        self.article = publish(title="Walking after a disc replacement")
        self.comment = Comment(
            content_object=self.thread,
            site_id=1,
            user_name="Writer",
            user_email="writer@example.org",
            comment="Walking every day helped me.",
        )
        self.comment.save()
        self.comment.set_status(Comment.Status.PENDING)
        approve(self.comment)

    def addresses(self):
        return [f.email for f in self.followers] + self.thread_followers

    def settled(self, task_queue):
        made = CommentMail.objects.filter(comment=self.comment).exists() and (
            Delivery.objects.filter(article=self.article).exists()
        )
        busy = (
            Delivery.objects.filter(article=self.article, status__in=IN_FLIGHT).exists()
            or CommentMail.objects.filter(comment=self.comment, status__in=IN_FLIGHT).exists()
        )
        return made and not busy and not task_queue.due()

    def caught(self):
        """Addresses whose mail was caught mid-send: it may or may not have arrived."""
        return set(
            Delivery.objects.filter(status=Delivery.Status.INTERRUPTED).values_list(
                "follower__email", flat=True
            )
        ) | set(
            CommentMail.objects.filter(status=CommentMail.Status.INTERRUPTED).values_list(
                "address", flat=True
            )
        )


@pytest.fixture
def world():
    return World()


def wait_settled(world, task_queue, workers, timeout=90):
    def state():
        rows = list(Delivery.objects.values_list("follower__email", "status", "attempts"))
        mails = list(CommentMail.objects.values_list("address", "status", "attempts"))
        logs = "\n".join(worker.output()[-3000:] for worker in workers)
        return f"settling; deliveries {rows}; comment mail {mails}; workers said:\n{logs}"

    wait_until(lambda: world.settled(task_queue), timeout=timeout, message=state)


def assert_exactly_once(world, inbox, except_for=()):
    received = inbox.count_to()
    for address in world.addresses():
        if address in except_for:
            assert received.get(address, 0) == 0, address
        elif address in world.caught():
            assert received.get(address, 0) <= 1, address
        else:
            assert received.get(address) == 1, (address, received)
    for address in ["pending@example.net", "left@example.net", "writer@example.org"]:
        assert address not in received
    assert "quiet@example.org" not in received


def assert_nobody_suppressed_but(bounced=()):
    assert set(
        Follower.objects.filter(status=Follower.Status.BOUNCED).values_list("email", flat=True)
    ) == set(bounced)
    assert Suppression.objects.filter(reason=Suppression.Reason.BOUNCED).count() == len(bounced)


def dashboard(client):
    return client.get("/admin/").content.decode()


def test_relay_wide_554_for_every_recipient_unsubscribes_nobody_and_reaches_staff(
    world, task_queue, smtp_server, start_worker, admin_client
):
    smtp_server.rcpt_all = "554 5.7.1 Relay access denied"  # staff's alert mail too
    worker = start_worker(**WORKER)
    world.start()

    def alerted():
        return {"follower mail", "comment mail"} <= set(
            Alert.objects.filter(mailed=False).values_list("source", flat=True)
        )

    wait_until(alerted, message=lambda: f"the alerts; worker said:\n{worker.output()}")
    assert not smtp_server.messages
    assert_nobody_suppressed_but(())
    assert not CommentMail.objects.filter(status=CommentMail.Status.REFUSED).exists()
    page = dashboard(admin_client)
    assert "Mail problems this week" in page
    assert "This alert could not be mailed to staff" in page
    assert "554 5.7.1 Relay access denied" in page

    smtp_server.rcpt_all = None  # the relay's set-up is fixed
    wait_settled(world, task_queue, [worker])
    assert_exactly_once(world, smtp_server)
    assert_nobody_suppressed_but(())


def test_one_persistent_452_waits_alone_and_everyone_else_is_mailed_once(
    world, task_queue, smtp_server, start_worker, admin_client
):
    full = [world.followers[2].email, world.thread_followers[1]]
    for address in full:
        smtp_server.rcpt[address] = "452 4.2.2 Mailbox full"
    worker = start_worker(SUBSCRIPTIONS_BATCH_SIZE=5, MAIL_RETRY_DELAYS="1,1")
    world.start()
    wait_settled(world, task_queue, [worker])

    assert_exactly_once(world, smtp_server, except_for=full)
    # The full mailbox was tried on its own schedule and given up; nobody else was held back
    # or charged an attempt for it.
    row = Delivery.objects.get(follower__email=full[0])
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 3)
    others = Delivery.objects.filter(article=world.article).exclude(pk=row.pk)
    assert set(others.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}
    mail = CommentMail.objects.get(address=full[1])
    assert mail.status == CommentMail.Status.FAILED
    assert smtp_server.refusals[full[1]] == mail.attempts
    assert_nobody_suppressed_but(())
    assert "given up" in dashboard(admin_client)


def test_550_for_some_bounces_only_them(world, task_queue, smtp_server, start_worker):
    gone = [world.followers[0].email, world.followers[7].email, world.thread_followers[3]]
    for address in gone:
        smtp_server.rcpt[address] = "550 5.1.1 No such user here"
    worker = start_worker(**WORKER)
    world.start()
    wait_settled(world, task_queue, [worker])

    assert_exactly_once(world, smtp_server, except_for=gone)
    assert_nobody_suppressed_but(gone[:2])
    assert CommentMail.objects.get(address=gone[2]).status == CommentMail.Status.REFUSED


def test_the_smtp_server_killed_mid_batch(
    world, task_queue, smtp_server, start_worker, admin_client
):
    smtp_server.delay = 0.2  # the kill lands while a message is in flight
    worker = start_worker(**WORKER)
    world.start()
    assert smtp_server.wait_for(3, timeout=60), worker.output()
    smtp_server.kill()
    wait_until(
        lambda: Delivery.objects.exclude(last_error="").exists(),
        message=lambda: f"the worker noticing; it said:\n{worker.output()}",
    )
    smtp_server.delay = 0
    smtp_server.revive()
    wait_settled(world, task_queue, [worker])

    assert_exactly_once(world, smtp_server)
    assert_nobody_suppressed_but(())
    assert len(world.caught()) <= 1
    if world.caught():
        assert "caught mid-send" in dashboard(admin_client)


def test_finding_9_the_worker_killed_mid_batch_is_resolved_at_the_next_start(
    world, task_queue, smtp_server, start_worker, admin_client
):
    smtp_server.delay = 0.2
    first = start_worker(**WORKER)
    world.start()
    assert smtp_server.wait_for(3, timeout=60), first.output()
    first.kill()  # kill -9
    smtp_server.delay = 0
    # The default SUBSCRIPTIONS_SENDING_TIMEOUT (10 minutes): the row the dead worker left
    # "sending" is known to be its (a process of this host that is gone) and is resolved as
    # the new worker starts, not minutes later.
    second = start_worker(**WORKER)
    wait_settled(world, task_queue, [second], timeout=60)

    assert_exactly_once(world, smtp_server)
    assert_nobody_suppressed_but(())
    # Follower mail is claimed a chunk at a time: at most the chunk in hand at the kill is
    # caught; comment mail, one row at a time, at most the one in flight.
    caught = Delivery.objects.filter(status=Delivery.Status.INTERRUPTED)
    assert caught.count() <= WORKER["SUBSCRIPTIONS_BATCH_SIZE"]
    assert len(set(caught.values_list("claimed_by", "claimed_at"))) <= 1  # one claim's rows
    assert CommentMail.objects.filter(status=CommentMail.Status.INTERRUPTED).count() <= 1
    if world.caught():
        assert "caught mid-send" in dashboard(admin_client)


def test_finding_9_postgresql_connections_lost_mid_batch(
    world, task_queue, smtp_server, start_worker
):
    if connection.vendor != "postgresql":
        pytest.skip("terminating the database's connections needs PostgreSQL (DATABASE_URL)")
    smtp_server.delay = 0.2
    worker = start_worker(**WORKER)
    world.start()
    assert smtp_server.wait_for(3, timeout=60), worker.output()
    # As a restart would, without disturbing the other databases on this server: every
    # connection to the test database but this one is dropped.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        [(terminated,)] = cursor.fetchall()
    assert terminated >= 1
    smtp_server.delay = 0
    # Well within the periodic sweep (5 minutes): the batch was taken up again at once.
    wait_settled(world, task_queue, [worker], timeout=60)

    assert_exactly_once(world, smtp_server)
    # Every mail the server took was recorded as sent, over a new connection: none is left
    # "caught mid-send" for staff to resend by mistake.
    assert not world.caught()
    assert set(Delivery.objects.filter(article=world.article).values_list("status", flat=True)) == {
        Delivery.Status.SENT
    }
