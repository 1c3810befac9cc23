from django.conf import settings
from django_tasks import task

from . import periodic


@task()
def heartbeat():
    """Runs every WORKER_HEARTBEAT_SECONDS: its last run is when a worker was last seen working.

    A task rather than a timer in the worker loop, so a heartbeat means the whole path works:
    the queue (the database or Redis), a worker taking tasks from it, and its database writes.
    """
    return periodic.claim(heartbeat, settings.WORKER_HEARTBEAT_SECONDS)
