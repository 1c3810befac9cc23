from functools import partial
from unittest import mock

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ArticleFactory

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what the block queued with on_commit, as a commit would."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def db_tasks(settings):
    """Tasks go to django-tasks-db's queue (as in production) instead of running at once."""
    settings.TASKS = DB_TASKS


def run_queued_tasks():
    """What a worker does now: run every task that is ready, then stop.

    In this process and inside the test's transaction, so the worker must not close the
    database connection between tasks as it does in production.
    """
    from django_tasks_db.management.commands import db_worker

    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections"):
        worker.run()


@pytest.fixture
def clock():
    """Time as it is, moved forward on request (`clock.shift(timedelta(minutes=2))`), so "later"
    needs no waiting: every wall clock Python reads (timezone.now() for the ORM, the task queue
    and our code; time.time() for the age of signed links), not the monotonic ones timeouts use.
    """
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def publish(**kwargs):
    """An article published now, as an Editor's save would."""
    kwargs.setdefault("published_at", timezone.now())
    return ArticleFactory(**kwargs)
