import datetime
import time
from functools import partial
from unittest import mock

import pytest
from django.core import signing
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


class Clock:
    """Moves Django's clocks forward, so "later" needs no waiting.

    timezone.now() for the ORM, the tasks queue and our code; django.core.signing's own
    time.time() for the age of signed links.
    """

    def __init__(self, monkeypatch):
        self.offset = datetime.timedelta()
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: real_now() + self.offset)
        clock = self

        class SigningTime:
            @staticmethod
            def time():
                return time.time() + clock.offset.total_seconds()

        monkeypatch.setattr(signing, "time", SigningTime)

    def advance(self, **kwargs):
        self.offset += datetime.timedelta(**kwargs)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def publish(**kwargs):
    """An article published now, as an Editor's save would."""
    kwargs.setdefault("published_at", timezone.now())
    return ArticleFactory(**kwargs)
