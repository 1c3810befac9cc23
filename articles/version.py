"""One number that changes whenever anything a public page shows changes.

Cached pages and fragments (the site chrome, comment trees, listings) have it in their keys, so
changing it retires them all at once: publishing or editing (receivers in apps.py), a comment
appearing or disappearing (the comments app calls `changed`), or a scheduled article's time
arriving (no event marks that moment, so the state remembers when the next one is due). Likes
do not change it: during a spike a like count may be a cache lifetime old rather than emptying
the cache for every click.

Every server process must see the same number. With Redis (REDIS_URL) it lives in the shared
cache; without it, the caches are per process (local memory), so the number lives in a small
file beside the database (CONTENT_VERSION_FILE), read again only when its mtime changes.
"""

import json
import os
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

KEY = "pagecache:state"
_memo = {}


def _next_scheduled():
    from django.utils import timezone

    from .models import Article

    due = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return due.timestamp() if due else None


def _read():
    if settings.REDIS_URL:
        return cache.get(KEY)
    path = settings.CONTENT_VERSION_FILE
    try:
        stamp = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None
    if _memo.get("path") != path or _memo.get("stamp") != stamp:
        try:
            with open(path) as handle:
                _memo.update(path=path, stamp=stamp, state=json.load(handle))
        except (OSError, ValueError):
            return None
    return _memo["state"]


def _write(state):
    if settings.REDIS_URL:
        cache.set(KEY, state, timeout=None)
        return
    path = str(settings.CONTENT_VERSION_FILE)
    temporary = f"{path}.{os.getpid()}"
    with open(temporary, "w") as handle:
        json.dump(state, handle)
    os.replace(temporary, path)  # readers see the old state or the new one, never half


def bump():
    previous = _read() or {"v": 0}
    state = {
        "v": max(int(time.time() * 1000), previous["v"] + 1),
        "next": _next_scheduled(),
    }
    _write(state)
    return state


def changed():
    """Public content changed: retire cached pages now, and again once the change commits.

    A reader rendering the page between the two still sees the old rows; the second bump keeps
    what it cached from outliving the transaction.
    """
    bump()
    transaction.on_commit(partial(bump), robust=True)


def content_changed(sender, **kwargs):
    """Receiver for saves and deletes of anything public pages show."""
    changed()


def state():
    current = _read()
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
