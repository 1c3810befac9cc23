from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.management import get_commands


@register()
def worker_sweeps_at_start(app_configs, **kwargs):
    """Our worker commands (with their start-up sweep) only win if we come first in
    INSTALLED_APPS."""
    if get_commands().get("db_worker") != "subscriptions":
        return [
            Error(
                "`manage.py db_worker` is not the subscriptions app's: a restarted worker would "
                "not re-queue the mail a killed one left owed.",
                hint="List 'subscriptions' before 'django_tasks_db' in INSTALLED_APPS.",
                id="subscriptions.E001",
            )
        ]
    if settings.TASKS_BACKEND == "rq" and get_commands().get("rqworker") != "subscriptions":
        return [
            Error(
                "`manage.py rqworker` is not the subscriptions app's: a restarted worker would "
                "not re-queue the mail a killed one left owed.",
                hint="List 'subscriptions' before 'django_rq' in INSTALLED_APPS.",
                id="subscriptions.E002",
            )
        ]
    return []


@register()
def digest_time_is_understood(app_configs, **kwargs):
    """A weekday or time the sweep cannot read would stop every weekly digest, silently."""
    import datetime

    try:
        datetime.time.fromisoformat(settings.SUBSCRIPTIONS_DIGEST_TIME)
        understood = settings.SUBSCRIPTIONS_DIGEST_WEEKDAY in range(7)
    except (TypeError, ValueError):
        understood = False
    if understood:
        return []
    weekday, time = settings.SUBSCRIPTIONS_DIGEST_WEEKDAY, settings.SUBSCRIPTIONS_DIGEST_TIME
    return [
        Error(
            "SUBSCRIPTIONS_DIGEST_WEEKDAY and SUBSCRIPTIONS_DIGEST_TIME must be a weekday from 0 "
            f"(Monday) to 6 and a time such as 08:00; got {weekday!r} and {time!r}.",
            id="subscriptions.E003",
        )
    ]


@register(Tags.security, deploy=True)
def suppression_key_is_set(app_configs, **kwargs):
    if settings.SUBSCRIPTIONS_HASH_KEY == settings.SECRET_KEY:
        return [
            Warning(
                "SUBSCRIPTIONS_HASH_KEY is not set, so the suppression list is keyed with "
                "SECRET_KEY: rotating SECRET_KEY would forget who unsubscribed or was erased.",
                hint="Set SUBSCRIPTIONS_HASH_KEY to a long random string, once, and keep it.",
                id="subscriptions.W001",
            )
        ]
    return []
