"""`manage.py db_worker`: django-tasks-db's worker, which first re-queues what is owed.

Before the worker loop starts, this runs the start-up of subscriptions/worker.py: the sweep
(mail still owed is re-queued, rows caught mid-send are flagged for staff), one periodic sweep
waiting, and the worker's heartbeat.

It replaces django_tasks_db's command of the same name because `subscriptions` comes before
`django_tasks_db` in INSTALLED_APPS (as whitenoise.runserver_nostatic does for runserver); the
worker itself, its options and its signal handling are django-tasks-db's, unchanged.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from subscriptions.worker import start_up


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
            start_up(self.stdout, options["verbosity"])
        return super().handle(*args, **options)
