"""Alerts for staff: mailed when raised, and recorded whether or not the mail went out.

The mail that fails is often the very thing to alert about (the relay refuses everything, staff
mail included), so the record comes first and the dashboard lists what was not mailed.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from .models import Alert

logger = logging.getLogger(__name__)

SHOWN_DAYS = 7  # the dashboard lists alerts this recent


def raise_alert(source, subject, summary, error="", url="", message=None):
    """Record an alert and mail `message` (a built EmailMessage, or None: nobody to mail)."""
    alert = Alert.objects.create(
        source=source, subject=subject[:300], summary=summary, error=error, url=url[:500]
    )
    if message is None:
        alert.mail_error = "Nobody to mail: no ADMINS and no staff with an address."
    else:
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            logger.warning("The alert %r could not be mailed: %s", subject, exc)
            alert.mail_error = f"{type(exc).__name__}: {exc}"[:1000]
        else:
            alert.mailed = True
    alert.save(update_fields=["mailed", "mail_error"])
    return alert


def recent():
    """Alerts staff have not dismissed, from the last SHOWN_DAYS days, newest first."""
    since = timezone.now() - timedelta(days=SHOWN_DAYS)
    return Alert.objects.filter(created_at__gte=since, dismissed_at__isnull=True)
