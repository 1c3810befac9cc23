"""The task worker as the rest of the site sees it: started, and last seen."""

import logging

from django.conf import settings

from . import periodic
from .signals import worker_started
from .tasks import heartbeat

logger = logging.getLogger(__name__)


def started():
    """Both worker commands (db_worker, rqworker) call this before their loops begin."""
    periodic.ensure(heartbeat, settings.WORKER_HEARTBEAT_SECONDS)
    periodic.mark_run(heartbeat)
    for receiver, outcome in worker_started.send_robust(sender=None):
        if isinstance(outcome, Exception):
            # The worker must run even if one app's start-up cannot: its sweep tries again.
            logger.error("Worker start-up of %r failed", receiver, exc_info=outcome)


def last_seen():
    """When a worker last ran its heartbeat (or started); None if none ever has."""
    return periodic.last_run(heartbeat)
