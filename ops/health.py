"""What `/healthz` and `/healthz/ready` ask: each part answers (True, detail) or (False, detail).

Details are for operators and load balancers: no addresses, versions or error texts, which are
logged instead.
"""

import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend

from . import worker

logger = logging.getLogger(__name__)


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Readiness: the database does not answer")
        return False, "unavailable"
    return True, "ok"


def shared_cache():
    kind = "redis" if settings.REDIS_URL else "local memory"
    token = secrets.token_hex(8)
    try:
        cache.set("ops:ready", token, 30)
        answered = cache.get("ops:ready") == token
    except Exception:
        logger.exception("Readiness: the cache (%s) does not answer", kind)
        answered = False
    return (True, f"ok ({kind})") if answered else (False, f"unavailable ({kind})")


def needs_worker():
    """False for the backends that run (or drop) tasks in the process that queues them."""
    return not isinstance(task_backends["default"], ImmediateBackend | DummyBackend)


def task_worker():
    if not needs_worker():
        return True, "not needed (tasks run in the request)"
    try:
        seen = worker.last_seen()
    except Exception:
        logger.exception("Readiness: the worker's heartbeat cannot be read")
        return False, "unknown (its heartbeat cannot be read)"
    if seen is None:
        return False, "never seen"
    age = int((timezone.now() - seen).total_seconds())
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        return False, f"last seen {age} s ago (more than {settings.WORKER_HEARTBEAT_MAX_AGE} s)"
    return True, f"ok, last seen {age} s ago"


READINESS = [("database", database), ("cache", shared_cache), ("worker", task_worker)]


def readiness():
    """[(part, ok, detail)] for every part the site needs to serve and to do its work."""
    return [(part, *probe()) for part, probe in READINESS]
