"""The rq backend as configured here (ops.rq_backend), against a test redis-server."""

import datetime

import pytest
from django.utils import timezone

from ops.tasks import heartbeat
from tests.subscriptions.worker import RQQueue


@pytest.fixture
def rq_queue(settings, redis_server):
    redis_server.flush()
    queue = RQQueue(redis_server)
    queue.configure(settings)
    return queue


def test_a_task_due_later_is_never_scheduled_before_its_time(rq_queue):
    # RQ's schedule holds whole seconds: 12:00:10.3 must become 12:00:11, never 12:00:10.
    when = timezone.now().replace(microsecond=300_000) + datetime.timedelta(seconds=10)
    result = heartbeat.using(run_after=when).enqueue()
    registry = rq_queue.queue.scheduled_job_registry
    scheduled = registry.get_scheduled_time(result.id)
    assert scheduled >= when
    assert scheduled - when < datetime.timedelta(seconds=1)
    assert rq_queue.waiting("ops.tasks.heartbeat") == 1


def test_a_task_due_now_goes_straight_into_the_queue(rq_queue):
    heartbeat.enqueue()
    assert rq_queue.queue.count == 1
    assert not rq_queue.queue.scheduled_job_registry.get_job_ids()
