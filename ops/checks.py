"""System checks for the task backend: `TASKS_BACKEND=rq` needs its packages and a Redis."""

from django.conf import settings
from django.core.checks import Error, register


def rq_problems():
    """What keeps the rq task backend from working, as (check id, message, hint)."""
    if getattr(settings, "TASKS_BACKEND", None) != "rq":
        return []
    problems = []
    if not settings.RQ_INSTALLED:
        problems.append(
            (
                "ops.E001",
                "TASKS_BACKEND is rq, but django-tasks-rq and django-rq are not installed.",
                "Install the pinned requirements: pip install -r requirements.txt.",
            )
        )
    if not settings.REDIS_URL:
        problems.append(
            (
                "ops.E002",
                "TASKS_BACKEND is rq, but REDIS_URL is not set: RQ keeps its queue in Redis.",
                "Set REDIS_URL (for example redis://127.0.0.1:6379/0), or TASKS_BACKEND=db.",
            )
        )
    return problems


@register()
def task_backend_is_usable(app_configs, **kwargs):
    return [Error(message, hint=hint, id=check_id) for check_id, message, hint in rq_problems()]
