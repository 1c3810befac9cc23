from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from mailer.compose import build
from ops import periodic

from .accounts import purge_never_used


@task()
def send_sign_in_code(address, code):
    """Mail a sign-in code (queued after commit by the sign-in form). The code is useless once
    LOGIN_BY_CODE_TIMEOUT has passed, or once it was used."""
    minutes = settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60
    build("sign_in_code", {"code": code, "minutes": minutes}, address).send(fail_silently=False)
    return "sent"


@task()
def purge():
    """Accounts whose code was never entered go after READERS_UNUSED_HOURS; every
    PRIVACY_PURGE_SECONDS, in one chain (ops.periodic)."""
    if not periodic.claim(purge, settings.PRIVACY_PURGE_SECONDS):
        return "another purge is due"
    return purge_never_used(timezone.now() - timedelta(hours=settings.READERS_UNUSED_HOURS))
