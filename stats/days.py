"""The statistics' days: the site's own (TIME_ZONE), and how long a day's working data lasts."""

import datetime

from django.utils import timezone

# How long after midnight a day's readers' hashes are kept, so that views counted just before
# midnight and written a few seconds later are still deduped with them.
GRACE = datetime.timedelta(minutes=10)


def today():
    return timezone.localdate()


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def seconds_left_of(day):
    """Seconds until `day` (in the site's time zone) is over."""
    end = start_of(day + datetime.timedelta(days=1))
    return max(1, int((end - timezone.now()).total_seconds()))
