"""`manage.py rqworker --with-scheduler`: django-rq's worker, which first re-queues what is owed.

The same start-up as our db_worker (subscriptions/worker.py): the sweep, one periodic sweep
waiting, the worker's heartbeat. RQ's scheduler (`--with-scheduler`; one per Redis, however many
workers ask for it) moves tasks queued for later into the queue when their time comes: retries,
scheduled articles, the sweep and the heartbeat all need it.

It replaces django-rq's command of the same name because `subscriptions` comes before
`django_rq` in INSTALLED_APPS; the worker, its options and its signal handling are django-rq's.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from subscriptions.worker import start_up

try:
    from django_rq.management.commands.rqworker import Command as RQWorkerCommand
except ImportError:
    # Not installed: the system checks (run before handle) say so and stop.
    RQWorkerCommand = BaseCommand


class Command(RQWorkerCommand):
    help = (
        "Run an RQ worker for TASKS_BACKEND=rq (with --with-scheduler, also the scheduler that "
        "queues tasks due later), after re-queuing the mail to followers that is still owed."
    )

    def handle(self, *args, **options):
        if settings.TASKS_BACKEND != "rq":
            raise CommandError(
                f"TASKS_BACKEND is {settings.TASKS_BACKEND!r}: rqworker runs the rq backend's "
                "queue (set TASKS_BACKEND=rq and REDIS_URL), and db_worker runs the db one."
            )
        if not options["with_scheduler"]:
            self.stderr.write(
                "Without --with-scheduler, tasks due later (retries, scheduled articles, the "
                "periodic sweep) wait until some worker runs with the scheduler."
            )
        start_up(self.stdout, options["verbosity"])
        # django-rq then closes this process's database connections before RQ forks.
        return super().handle(*args, **options)
