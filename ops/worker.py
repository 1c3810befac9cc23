"""The task worker as the rest of the site sees it: started, and last seen."""

from django.conf import settings
from django.dispatch import Signal

from . import periodic
from .tasks import heartbeat

# Sent when a worker starts: apps with periodic tasks of their own (news) make sure one run is
# waiting (`periodic.ensure`), without this app knowing them.
worker_started = Signal()


def started():
    """Both worker commands (db_worker, rqworker) call this before their loops begin."""
    periodic.ensure(heartbeat, settings.WORKER_HEARTBEAT_SECONDS)
    periodic.mark_run(heartbeat)
    worker_started.send(sender=None)


def last_seen():
    """When a worker last ran its heartbeat (or started); None if none ever has."""
    return periodic.last_run(heartbeat)
