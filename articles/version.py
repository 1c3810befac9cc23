"""One number that changes whenever anything a public page shows changes.

Cached pages and fragments (the site chrome, comment trees) have it in their keys, so changing
it retires them all at once: publishing or editing (receivers in apps.py), a comment appearing
or disappearing (the comments app calls `bump`), or a scheduled article's time arriving (no
event marks that moment, so the state remembers when the next one is due). Likes do not change
it: during a spike a like count may be a cache lifetime old rather than emptying the cache for
every click.
"""

import time

from django.core.cache import cache

KEY = "pagecache:state"


def _next_scheduled():
    from .models import Article

    due = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=_now_dt())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return due.timestamp() if due else None


def _now_dt():
    from django.utils import timezone

    return timezone.now()


def bump():
    previous = cache.get(KEY) or {"v": 0}
    state = {
        "v": max(int(time.time() * 1000), previous["v"] + 1),
        "next": _next_scheduled(),
    }
    cache.set(KEY, state, timeout=None)
    return state


def content_changed(sender, **kwargs):
    """Receiver for saves and deletes of anything public pages show."""
    bump()


def state():
    current = cache.get(KEY)
    if current is None or (current["next"] and time.time() >= current["next"]):
        current = bump()
    return current


def current():
    return state()["v"]


def last_modified():
    return current() / 1000


def seconds_until_next(default):
    due = state()["next"]
    if not due:
        return default
    return max(1, min(default, int(due - time.time())))
