"""The task worker as the rest of the site sees it: started, and last seen."""

import logging
import os
import socket

from django.conf import settings

from . import periodic
from .signals import worker_started
from .tasks import heartbeat

logger = logging.getLogger(__name__)


def started():
    """Both worker commands (db_worker, rqworker) call this before their loops begin."""
    periodic.ensure_registered()
    periodic.ensure(heartbeat, settings.WORKER_HEARTBEAT_SECONDS)
    for receiver, outcome in worker_started.send_robust(sender=None):
        if isinstance(outcome, Exception):
            # The worker must run even if one app's start-up cannot: its sweep tries again.
            logger.error("Worker start-up of %r failed", receiver, exc_info=outcome)
    # Last: "last seen" is the moment the start-up was done.
    periodic.mark_run(heartbeat)


def last_seen():
    """When a worker last ran its heartbeat (or started); None if none ever has."""
    return periodic.last_run(heartbeat)


def claimant():
    """Who is doing a piece of work right now: this host and process, stored with a claim so
    that a worker starting later can tell work left by a dead process from work in hand."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def claimant_gone(who):
    """True if `who` (a `claimant()`) was a process on this host that no longer runs.

    Only ever True for certain: another host's process, or a process id that is in use
    (perhaps reused), is not known to be gone, and waits for the timeout instead.
    """
    host, _, pid = (who or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it runs, as another user
    return _zombie(int(pid))


def _zombie(pid):
    # A killed process whose parent died too (RQ's work horse after `kill -9` of its worker)
    # can stay a zombie when nothing reaps orphans (a container's first process): it answers
    # signal 0 but runs no more.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in {"Z", "X"}
