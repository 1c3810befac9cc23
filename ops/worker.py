"""The task worker as the rest of the site sees it: started, and last seen."""

from django.conf import settings

from . import periodic
from .tasks import heartbeat


def started():
    """Both worker commands (db_worker, rqworker) call this before their loops begin."""
    periodic.ensure_registered()
    periodic.ensure(heartbeat, settings.WORKER_HEARTBEAT_SECONDS)
    # Last: "last seen" is the moment the start-up was done.
    periodic.mark_run(heartbeat)


def last_seen():
    """When a worker last ran its heartbeat (or started); None if none ever has."""
    return periodic.last_run(heartbeat)
