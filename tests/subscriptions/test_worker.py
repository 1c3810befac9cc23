"""The real worker as a separate process: delivery, restart, crash; on both task backends,
`manage.py db_worker` (django-tasks-db) and `manage.py rqworker --with-scheduler` (RQ)."""

import pytest

from ops import worker as ops_worker
from subscriptions import delivery
from subscriptions.models import Delivery, Follower, Notification
from tests.pages import text
from tests.subscriptions.conftest import publish
from tests.subscriptions.factories import FollowerFactory
from tests.subscriptions.test_subscribe import confirmation_path, subscribe
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = "subscriptions.tasks.sweep_deliveries"
HEARTBEAT = "ops.tasks.heartbeat"
CHUNK = 5  # rows claimed and recorded together (SUBSCRIPTIONS_CLAIM_CHUNK)


def settled(article, task_queue):
    """The article's deliveries are made, none is owed or in flight, and no task is due."""
    made = Notification.objects.filter(article=article, queued_at__isnull=False).exists()
    busy = Delivery.objects.filter(
        article=article, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()
    return made and not busy and not task_queue.due()


def test_the_worker_process_mails_each_active_follower_exactly_once(
    task_queue, smtp_server, start_worker
):
    active = FollowerFactory.create_batch(25)
    FollowerFactory(email="pending@example.net", status=Follower.Status.PENDING)
    FollowerFactory(email="left@example.net", status=Follower.Status.UNSUBSCRIBED)
    worker = start_worker(SUBSCRIPTIONS_BATCH_SIZE=10)
    article = publish(title="What an MRI can and cannot tell you")

    wait_until(
        lambda: settled(article, task_queue),
        message=lambda: f"delivery; worker said:\n{worker.output()}",
    )
    assert smtp_server.count_to() == {f.email: 1 for f in active}
    assert all(m["Subject"] == article.title for _, m in smtp_server.messages)
    assert smtp_server.connections == 3  # batches of 10, 10 and 5
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 25
    # The worker's start-up scheduled the periodic sweep.
    assert task_queue.waiting(SWEEP) == 1


def test_a_starting_worker_sends_mail_that_is_owed_but_has_no_task(
    task_queue, smtp_server, start_worker
):
    followers = FollowerFactory.create_batch(5)
    article = publish()
    task_queue.lose_everything()  # the queue lost its tasks (a wiped Redis, say)
    delivery.fan_out(article.pk)
    assert task_queue.empty()

    worker = start_worker()
    wait_until(
        lambda: settled(article, task_queue),
        message=lambda: f"delivery; worker said:\n{worker.output()}",
    )
    assert smtp_server.count_to() == {f.email: 1 for f in followers}
    assert "Start-up sweep: 1 article(s) with mail owed re-queued" in worker.output()


def test_a_worker_killed_mid_batch_loses_nobody_and_mails_nobody_twice(
    task_queue, smtp_server, start_worker, admin_client
):
    followers = FollowerFactory.create_batch(30)
    smtp_server.delay = 0.3  # a slow relay: the kill lands while a message is in flight
    first = start_worker(SUBSCRIPTIONS_CLAIM_CHUNK=CHUNK)
    article = publish(title="Back pain in pregnancy")
    assert smtp_server.wait_for(5, timeout=60), first.output()
    first.kill()

    owed = Delivery.objects.filter(article=article, status=Delivery.Status.PENDING).count()
    assert owed > 0, "the kill should land in the middle of the batch"
    # Both queues leave the killed task "running" (RQ: "started"); only our rows know what's owed.
    assert task_queue.running("subscriptions.tasks.send_deliveries")

    smtp_server.delay = 0
    # One worker only: whatever is still "sending" at start-up belonged to the dead one.
    second = start_worker(SUBSCRIPTIONS_SENDING_TIMEOUT=0)
    wait_until(
        lambda: settled(article, task_queue),
        message=lambda: f"recovery; worker said:\n{second.output()}",
    )

    received = smtp_server.count_to()
    caught = set(
        Delivery.objects.filter(status=Delivery.Status.INTERRUPTED).values_list(
            "follower__email", flat=True
        )
    )
    # At most the chunk in hand at the kill (claimed together, recorded together): it may or
    # may not have arrived, and is left for staff rather than sent again.
    assert len(caught) <= CHUNK
    for follower in followers:
        if follower.email in caught:
            assert received.get(follower.email, 0) <= 1
        else:
            assert received.get(follower.email) == 1, follower.email
            assert Delivery.objects.get(follower=follower).status == Delivery.Status.SENT

    # Staff see who was caught mid-send, to check with them rather than mail them twice.
    page = text(
        admin_client.get("/admin/subscriptions/delivery/", {"status__exact": "interrupted"}),
        "#result_list",
    )
    for email in caught:
        assert email in page


def test_the_subscription_confirmation_goes_out_through_the_worker(
    client, task_queue, smtp_server, start_worker
):
    worker = start_worker()
    subscribe(client, "new.reader@example.com")
    assert smtp_server.wait_for(1), worker.output()
    [message] = smtp_server.to("new.reader@example.com")
    client.post(confirmation_path(message))
    assert Follower.objects.get(email="new.reader@example.com").status == Follower.Status.ACTIVE


def test_a_relay_that_is_down_is_tried_again_later_by_the_worker(
    task_queue, smtp_server, start_worker
):
    """The retry is a task queued with run_after: RQ runs it through its scheduler."""
    followers = FollowerFactory.create_batch(3)
    smtp_server.down = True
    worker = start_worker(SUBSCRIPTIONS_RETRY_DELAYS="2,2")
    article = publish()

    def deferred():
        return Delivery.objects.filter(article=article, last_error__gt="").count() == 3

    wait_until(deferred, message=lambda: f"the first attempt; worker said:\n{worker.output()}")
    assert not smtp_server.messages
    smtp_server.down = False
    wait_until(
        lambda: settled(article, task_queue),
        message=lambda: (
            f"the retry; deliveries {list(Delivery.objects.values_list('status'))}, "
            f"worker said:\n{worker.output()}"
        ),
    )
    assert smtp_server.count_to() == {f.email: 1 for f in followers}
    # The row the relay refused counts two attempts; the rows behind it, never tried while the
    # relay was down, one each.
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [1, 1, 2]


def test_workers_started_together_keep_one_sweep_and_one_heartbeat(
    task_queue, smtp_server, start_worker
):
    workers = [start_worker(WORKER_HEARTBEAT_SECONDS=1) for _ in range(3)]
    wait_until(
        lambda: all("Start-up sweep" in worker.output() for worker in workers),
        message="\n".join(worker.output() for worker in workers),
    )
    beats, waiting = set(), []

    def beating():
        beats.add(ops_worker.last_seen())
        waiting.append((task_queue.waiting(SWEEP), task_queue.waiting(HEARTBEAT)))
        return len(beats) >= 3

    wait_until(beating, interval=0.1, message="heartbeats")
    assert max(sweeps for sweeps, _ in waiting) == 1
    assert max(heartbeats for _, heartbeats in waiting) == 1
