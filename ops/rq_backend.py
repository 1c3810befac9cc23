"""RQ, as django-tasks-rq and django-rq run it, with two corrections (TASKS_BACKEND=rq only)."""

from datetime import timedelta

from django_tasks_rq import RQBackend as DjangoTasksRQBackend
from rq import Worker as RQWorker


class RQBackend(DjangoTasksRQBackend):
    """django-tasks-rq's backend, never running a task before its `run_after`.

    RQ keeps its schedule in whole seconds, cutting the fraction off, so its scheduler may start
    a task up to a second early; a task that checks again whether its work is due (a mail retry)
    would find nothing due yet, and its chain would end. Rounding up to the next second keeps
    the promise django-tasks makes, as django-tasks-db does.
    """

    def enqueue(self, task, args, kwargs):
        when = task.run_after
        if when is not None and when.microsecond:
            task = task.using(run_after=when.replace(microsecond=0) + timedelta(seconds=1))
        return super().enqueue(task, args, kwargs)


class Worker(RQWorker):
    """RQ's worker, looking after its queue's registries and the scheduler every minute.

    RQ's default is every ten minutes: after the worker that held the scheduler died, no task
    due later (a retry, a scheduled article, the sweep, the heartbeat) would run for that long,
    and the heartbeat would go stale on /healthz/ready. Once a minute is cheap.
    """

    def __init__(self, *args, maintenance_interval=60, **kwargs):
        super().__init__(*args, maintenance_interval=maintenance_interval, **kwargs)
