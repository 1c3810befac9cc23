"""Periodic tasks on any django_tasks backend: one chain of runs per task, never one per worker.

django-tasks has no periodic tasks, and neither django-tasks-db nor RQ's own scheduler keeps a
task from being scheduled twice. So each periodic task queues its next run itself, and a row per
task (`Schedule`) says when that next run is due:

- `ensure(task, seconds)`, at each worker's start: queues a run unless one is due already. Only
  the process that creates the row, or moves an overdue one forward, queues it.
- `claim(task, seconds)`, first thing in each run: moves the due time a period on and queues the
  next run, but only if this run is the one that was due. A duplicate run (two workers started
  at once, a task the queue had lost and found again) finds the period already claimed and
  returns False, and its chain ends there.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Schedule

logger = logging.getLogger(__name__)


def _queue(a_task, when):
    # The `immediate` backend (tests, development) cannot run anything later: nothing to chain.
    if a_task.get_backend().supports_defer:
        a_task.using(run_after=when).enqueue()


def ensure(a_task, seconds):
    """Make sure one run of `a_task` is waiting; returns True if this call queued it."""
    now = timezone.now()
    due = now + timedelta(seconds=seconds)
    try:
        with transaction.atomic():
            Schedule.objects.create(task_path=a_task.module_path, due_at=due)
    except IntegrityError:
        # The row exists: its run is waiting, unless it is overdue by more than a period (the
        # queue lost it, or no worker ran for a while). Only one process moves it forward.
        queued = Schedule.objects.filter(
            task_path=a_task.module_path, due_at__lt=now - timedelta(seconds=seconds)
        ).update(due_at=due)
        if not queued:
            return False
    _queue(a_task, due)
    return True


def claim(a_task, seconds):
    """Called by each run of a periodic task: True if the run is the chain's (its next run is
    then queued), False if another run already claimed this period (a duplicate: stop)."""
    now = timezone.now()
    period = timedelta(seconds=seconds)
    # Half a period of slack for clocks that differ between machines, or a run that the worker
    # picked up a moment early; a duplicate chain is at least that far from the real one after
    # one round, so it ends within a period.
    claimed = Schedule.objects.filter(
        task_path=a_task.module_path, due_at__lte=now + period / 2
    ).update(due_at=now + period, last_run_at=now)
    if not claimed:
        try:
            with transaction.atomic():
                Schedule.objects.create(
                    task_path=a_task.module_path, due_at=now + period, last_run_at=now
                )
        except IntegrityError:
            # The row exists and this period is taken: another chain runs this task.
            logger.info("%s: a second chain of runs ends here", a_task.module_path)
            return False
    _queue(a_task, now + period)
    return True


# Periodic tasks that apps declare in their AppConfig.ready(): each worker ensures them at start.
_REGISTERED = {}


def register(a_task, seconds):
    """Declare `a_task` periodic, every `seconds` (a callable, read at each worker's start, so
    settings changed in tests apply). The task itself calls `claim` first thing."""
    _REGISTERED[a_task.module_path] = (a_task, seconds)


def ensure_registered():
    for a_task, seconds in _REGISTERED.values():
        ensure(a_task, seconds())


def last_run(a_task):
    return (
        Schedule.objects.filter(task_path=a_task.module_path)
        .values_list("last_run_at", flat=True)
        .first()
    )


def mark_run(a_task):
    """Record that `a_task`'s work was just done outside its chain (a worker's start-up)."""
    Schedule.objects.filter(task_path=a_task.module_path).update(last_run_at=timezone.now())
