from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from comments import privacy as comments_privacy
from mailer.compose import build
from ops import periodic
from subscriptions import privacy as subscriptions_privacy

from .tokens import download_token


@task()
def send_download_link(address):
    """Mail `address` its "download my data" link (queued after commit by the request view)."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "privacy:download", kwargs={"token": download_token(address)}
    )
    context = {"download_url": url, "valid_days": settings.PRIVACY_DOWNLOAD_DAYS}
    build("data_download", context, address).send(fail_silently=False)
    return "sent"


def purge_now(now=None):
    """Delete what was never confirmed within PRIVACY_UNCONFIRMED_DAYS: comments and follows."""
    before = (now or timezone.now()) - timedelta(days=settings.PRIVACY_UNCONFIRMED_DAYS)
    return {
        "comments": comments_privacy.purge_unconfirmed(before),
        "followers": subscriptions_privacy.purge_unconfirmed(before),
    }


@task()
def purge():
    """The periodic purge, every PRIVACY_PURGE_SECONDS, in one chain (ops.periodic)."""
    if not periodic.claim(purge, settings.PRIVACY_PURGE_SECONDS):
        return "another purge is due"
    return purge_now()
