"""The statistics' daily housekeeping, through the django_tasks API.

Queued once a day, by the view that makes the day's salt, to run when that day and the grace
period after it are over (backends that cannot defer skip it; the next day's first view
deletes the old salts then).
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from .days import GRACE, start_of, today
from .models import ArticleDay, DailySalt, FlushedBatch, ReferrerDay, SearchDay, SeenReader


def prune(now=None):
    """Delete the daily figures older than STATS_RETENTION_DAYS (unset: keep them all)."""
    days = settings.STATS_RETENTION_DAYS
    if not days:
        return 0
    oldest_kept = timezone.localdate(now) - datetime.timedelta(days=days - 1)
    return sum(
        model.objects.filter(day__lt=oldest_kept).delete()[0]
        for model in (ArticleDay, ReferrerDay, SearchDay)
    )


def forget(now=None):
    """Delete the salts and readers' hashes of days that are over (kept for the grace period)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    hashes_until = day if now >= start_of(day) + GRACE else day - datetime.timedelta(days=1)
    deleted = DailySalt.objects.filter(day__lt=day).delete()[0]
    deleted += SeenReader.objects.filter(day__lt=hashes_until).delete()[0]
    deleted += FlushedBatch.objects.filter(
        created_at__lt=now - datetime.timedelta(days=2)
    ).delete()[0]
    return deleted


@task()
def forget_past_days():
    return {"forgotten": forget(), "pruned": prune(), "day": today().isoformat()}
