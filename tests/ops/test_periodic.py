"""Periodic tasks run as one chain, however many workers start one and whatever the queue lost."""

from datetime import timedelta

import pytest

from ops import periodic
from ops.models import Schedule
from subscriptions.tasks import sweep_deliveries
from tests.subscriptions.conftest import run_queued_tasks

pytestmark = pytest.mark.django_db

EVERY = 300


def waiting(db_tasks_path=sweep_deliveries.module_path):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=db_tasks_path, status="READY").count()


def test_workers_starting_one_after_another_queue_one_run(db_tasks):
    assert periodic.ensure(sweep_deliveries, EVERY) is True
    assert periodic.ensure(sweep_deliveries, EVERY) is False
    assert periodic.ensure(sweep_deliveries, EVERY) is False
    assert waiting() == 1


def test_each_run_queues_the_next_and_records_itself(db_tasks, clock):
    periodic.ensure(sweep_deliveries, EVERY)
    clock.shift(timedelta(seconds=EVERY))
    run_queued_tasks()
    assert waiting() == 1  # the next one, a period later
    schedule = Schedule.objects.get(task_path=sweep_deliveries.module_path)
    assert schedule.last_run_at is not None
    assert (schedule.due_at - schedule.last_run_at).total_seconds() == EVERY


def test_a_duplicate_run_ends_its_chain(db_tasks, clock):
    periodic.ensure(sweep_deliveries, EVERY)
    sweep_deliveries.enqueue()  # a second chain, started by something that did not ask
    run_queued_tasks()  # runs the duplicate now, long before the period is due
    assert waiting() == 1
    clock.shift(timedelta(seconds=EVERY))
    run_queued_tasks()
    assert waiting() == 1


def test_a_lost_run_is_queued_again_by_the_next_worker_once_overdue(db_tasks, clock):
    periodic.ensure(sweep_deliveries, EVERY)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the queue lost it
    clock.shift(timedelta(seconds=EVERY + 10))
    assert periodic.ensure(sweep_deliveries, EVERY) is False  # a late run may still come
    clock.shift(timedelta(seconds=EVERY))
    assert periodic.ensure(sweep_deliveries, EVERY) is True
    assert waiting() == 1


def test_an_overdue_run_found_again_does_not_double_the_chain(db_tasks, clock):
    """A worker down for an hour: its queued run is overdue, a new one is queued at start-up,
    and whichever comes first claims the period; the other ends there."""
    periodic.ensure(sweep_deliveries, EVERY)
    clock.shift(timedelta(hours=1))
    assert periodic.ensure(sweep_deliveries, EVERY) is True
    assert waiting() == 2
    run_queued_tasks()  # the old, overdue run: the new one holds the period
    assert waiting() == 1
    for _ in range(3):
        clock.shift(timedelta(seconds=EVERY))
        run_queued_tasks()
        assert waiting() == 1


def test_without_a_deferring_backend_nothing_is_chained(settings):
    # The immediate backend (tests, development) cannot run anything later.
    assert periodic.ensure(sweep_deliveries, EVERY) is True
    assert periodic.claim(sweep_deliveries, EVERY) is False
    assert Schedule.objects.count() == 1
