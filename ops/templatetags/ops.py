"""`{% worker_status %}`: when the task worker was last seen, for the admin (and its dashboard)."""

from django import template
from django.conf import settings
from django.utils import timezone

from ops import health, worker

register = template.Library()


@register.inclusion_tag("ops/_worker_status.html")
def worker_status():
    if not health.needs_worker():
        return {"needed": False}
    seen = worker.last_seen()
    age = (timezone.now() - seen).total_seconds() if seen else None
    return {
        "needed": True,
        "seen": seen,
        "stale": age is None or age > settings.WORKER_HEARTBEAT_MAX_AGE,
        "max_age_minutes": settings.WORKER_HEARTBEAT_MAX_AGE // 60,
    }
