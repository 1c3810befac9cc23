from django.conf import settings
from django_tasks import task

from ops import periodic

from . import fetching
from .models import Feed


@task()
def fetch_news():
    """Runs every NEWS_FETCH_SECONDS: fetch every active feed (a failing one keeps its items)."""
    if not periodic.claim(fetch_news, settings.NEWS_FETCH_SECONDS):
        return None
    fetched, failed = fetching.fetch_all()
    return {"fetched": fetched, "failed": failed}


@task()
def fetch_feed(feed_id):
    """One feed, now: queued when staff add a feed or ask for a fetch in the admin."""
    feed = Feed.objects.filter(pk=feed_id).first()
    return fetching.fetch(feed) if feed else None


def schedule(sender=None, **kwargs):
    """ops.signals.worker_started receiver: one periodic fetch waiting, however many workers."""
    periodic.ensure(fetch_news, settings.NEWS_FETCH_SECONDS)
