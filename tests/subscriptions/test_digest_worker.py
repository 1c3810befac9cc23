"""Topics and the weekly digest with the real worker (both task backends): each follower gets
what they chose, the digest once a week, and a worker killed mid-digest mails nobody twice."""

from datetime import timedelta

import pytest

from subscriptions import digests, tasks
from subscriptions.models import Delivery, Digest, Follower
from tests.factories import CategoryFactory
from tests.smtp import body_text
from tests.subscriptions.conftest import publish
from tests.subscriptions.factories import FollowerFactory
from tests.subscriptions.test_topics import due_a_minute_ago
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

IN_FLIGHT = [Delivery.Status.PENDING, Delivery.Status.SENDING]
WEEKLY = Follower.Frequency.WEEKLY


@pytest.fixture
def digest_due(settings):
    """A digest due a minute ago, in this process and in the workers (their environment)."""
    weekday, time = due_a_minute_ago()
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY, settings.SUBSCRIPTIONS_DIGEST_TIME = weekday, time
    return {"SUBSCRIPTIONS_DIGEST_WEEKDAY": weekday, "SUBSCRIPTIONS_DIGEST_TIME": time}


def follower(email, topics=(), **kwargs):
    made = FollowerFactory(email=email, all_topics=not topics, **kwargs)
    made.topics.set(topics)
    return made


def settled(task_queue):
    made = Digest.objects.filter(queued_at__isnull=False).exists()
    busy = Delivery.objects.filter(status__in=IN_FLIGHT).exists()
    return made and not busy and not task_queue.due()


def wait_settled(task_queue, worker, timeout=60):
    def state():
        rows = list(Delivery.objects.values_list("follower__email", "status", "digest_id"))
        return f"settling; deliveries {rows}; worker said:\n{worker.output()[-3000:]}"

    wait_until(lambda: settled(task_queue), timeout=timeout, message=state)


def test_topics_and_the_weekly_digest_reach_each_follower_once_and_not_again_that_week(
    task_queue, smtp_server, start_worker, digest_due
):
    back, neck = CategoryFactory(slug="back"), CategoryFactory(slug="neck")
    _, ends = digests.due_period()
    publish(title="Lifting", category=back, published_at=ends - timedelta(days=3))
    publish(title="Desk necks", category=neck, published_at=ends - timedelta(days=2))
    follower("each-all@example.com")
    follower("each-neck@example.com", [neck])
    follower("weekly-all@example.com", frequency=WEEKLY)
    follower("weekly-neck@example.com", [neck], frequency=WEEKLY)
    follower("weekly-hip@example.com", [CategoryFactory(slug="hip")], frequency=WEEKLY)

    worker = start_worker(**digest_due)
    publish(title="Sleeping on your side", category=back)  # new now: each article as it comes
    wait_settled(task_queue, worker)
    wait_until(lambda: Delivery.objects.filter(article__title="Sleeping on your side").exists())
    wait_settled(task_queue, worker)

    def received():
        return {a: sorted(m["Subject"] for m in smtp_server.to(a)) for a in smtp_server.count_to()}

    expected = {
        "each-all@example.com": ["Sleeping on your side"],
        "weekly-all@example.com": ["This week on The Back Story: 2 new articles"],
        "weekly-neck@example.com": ["This week on The Back Story: Desk necks"],
    }
    assert received() == expected
    assert "Lifting" not in body_text(smtp_server.to("weekly-neck@example.com")[0])

    # The sweep again the same week (as every few minutes, and at each worker's start): no
    # second digest, and the worker finds nothing to send.
    tasks.recover()
    wait_settled(task_queue, worker)
    assert received() == expected
    assert Digest.objects.count() == 1


def test_a_worker_killed_mid_digest_leaves_nobody_mailed_twice(
    task_queue, smtp_server, start_worker, digest_due, admin_client
):
    _, ends = digests.due_period()
    publish(title="Lifting", published_at=ends - timedelta(days=3))
    weekly = [follower(f"weekly{n}@example.com", frequency=WEEKLY) for n in range(12)]
    smtp_server.delay = 0.2  # the kill lands while a message is in flight
    env = {**digest_due, "SUBSCRIPTIONS_BATCH_SIZE": 5, "MAIL_RETRY_DELAYS": "1,1,2,4,8"}
    first = start_worker(**env)
    assert smtp_server.wait_for(3, timeout=60), first.output()
    first.kill()  # kill -9, mid-batch
    smtp_server.delay = 0
    second = start_worker(**env)
    wait_settled(task_queue, second)

    caught = set(
        Delivery.objects.filter(status=Delivery.Status.INTERRUPTED).values_list(
            "follower__email", flat=True
        )
    )
    assert len(caught) <= 1
    received = smtp_server.count_to()
    for reader in weekly:
        if reader.email in caught:
            assert received.get(reader.email, 0) <= 1
        else:
            assert received.get(reader.email) == 1, (reader.email, received)
    assert Digest.objects.get().recipients == 12
    if caught:
        page = admin_client.get("/admin/").content.decode()
        assert "caught mid-send" in page
