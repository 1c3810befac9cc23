"""`manage.py db_worker`: django-tasks-db's worker, which first re-queues what is owed.

A worker killed in the middle of a batch leaves its task marked "running" forever and the rest
of the batch unsent; nothing in django-tasks-db would ever look at it again. So before the
worker loop starts, this runs the subscriptions sweep (re-queue every pending delivery, flag rows
caught mid-send) and makes sure one periodic sweep is waiting in the queue.

It replaces django_tasks_db's command of the same name because `subscriptions` comes before
`django_tasks_db` in INSTALLED_APPS (as whitenoise.runserver_nostatic does for runserver); the
worker itself, its options and its signal handling are django-tasks-db's, unchanged.
"""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from subscriptions.tasks import enqueue_at, recover, sweep_deliveries

logger = logging.getLogger("subscriptions")


class Command(db_worker.Command):
    help = (
        "Run a database background worker (django-tasks-db), after re-queuing the mail to "
        "followers that is still owed."
    )

    def handle(self, *args, **options):
        # With --reload the first process only watches files; the real worker is its child.
        watcher_only = (
            options["reload"]
            and not options["batch"]
            and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if not watcher_only:
            self.start_up(options["verbosity"])
        return super().handle(*args, **options)

    def start_up(self, verbosity):
        try:
            found = recover()
            ensure_periodic_sweep()
        except Exception:
            # The worker must run even if the sweep cannot: the periodic one will try again.
            logger.exception("The start-up sweep failed")
            return
        if verbosity >= 1:
            articles = set(found.unqueued_articles) | set(found.owed_articles)
            self.stdout.write(
                f"Start-up sweep: {len(articles)} article(s) with mail owed re-queued, "
                f"{found.interrupted} delivery(ies) caught mid-send flagged for staff."
            )


def ensure_periodic_sweep():
    waiting = DBTaskResult.objects.filter(
        task_path=sweep_deliveries.module_path, status=TaskResultStatus.READY
    ).exists()
    if not waiting:
        enqueue_at(
            sweep_deliveries,
            timezone.now() + timedelta(seconds=settings.SUBSCRIPTIONS_SWEEP_SECONDS),
        )
