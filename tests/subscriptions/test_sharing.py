"""Two real workers share one article's mail (chunks claimed with FOR UPDATE SKIP LOCKED), and
the SMTP server receives each message exactly once. PostgreSQL only: SQLite keeps one worker."""

import pytest
from django.db import connection
from django.utils import timezone

from subscriptions.models import Delivery, Follower
from tests.subscriptions.conftest import publish
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

FOLLOWERS = 2000


# The database is what is shared here, not the queue: the db backend alone keeps it cheap.
@pytest.mark.parametrize("task_queue", ["db"], indirect=True)
def test_two_workers_share_one_articles_2000_mails_and_each_arrives_once(
    task_queue, smtp_server, start_worker
):
    if connection.vendor != "postgresql":
        pytest.skip("several workers share an article's mail on PostgreSQL (DATABASE_URL)")
    now = timezone.now()
    Follower.objects.bulk_create(
        Follower(
            email=f"reader{n:04d}@example.net", status=Follower.Status.ACTIVE, confirmed_at=now
        )
        for n in range(FOLLOWERS)
    )
    # Two chains of batches for the article (200 mails each, claimed 50 at a time), one per
    # worker: they take chunks of the same rows side by side, ten batches between them.
    env = {"SUBSCRIPTIONS_SENDERS": 2}
    workers = [start_worker(**env), start_worker(**env)]
    article = publish(title="Getting up from a chair without pain")

    rows = Delivery.objects.filter(article=article)
    wait_until(
        lambda: rows.filter(status=Delivery.Status.SENT).count() == FOLLOWERS,
        timeout=120,
        message=lambda: (
            f"{len(smtp_server.messages)} arrived; worker said:\n"
            + "\n".join(worker.output()[-2000:] for worker in workers)
        ),
    )
    received = smtp_server.count_to()
    assert len(received) == FOLLOWERS
    assert set(received.values()) == {1}
    assert set(received) == {f"reader{n:04d}@example.net" for n in range(FOLLOWERS)}
    assert set(rows.values_list("status", flat=True)) == {Delivery.Status.SENT}
    # Both workers sent a share of it, over their own SMTP connections.
    senders = set(rows.values_list("claimed_by", flat=True))
    assert {claimant.rsplit(":", 1)[1] for claimant in senders} == {
        str(worker.pid) for worker in workers
    }
    assert smtp_server.connections >= 2
