"""One number that changes whenever anything a public page shows changes.

Cached pages and fragments (pagecache/fragments.py) have it in their keys, so changing it retires
them all at once: `articles` and `comments` send `public_content_changed` (publishing, editing, a
comment appearing or disappearing), and a scheduled article's time arriving changes it too (no
event marks that moment, so the state remembers when the next one is due). Likes do not change
it: during a spike a like count may be a cache lifetime old rather than emptying the cache for
every click.

A change is bumped once, when its transaction commits: however many rows one admin save writes
(the article, its tags, a redirect), readers' caches are emptied once, and never for a change that
is rolled back. A page rendered before the commit still shows the old rows and is cached under the
old number, which the commit retires.

Every server process must see the same number. With Redis (REDIS_URL) it lives in the shared
cache; without it, the caches are per process (local memory), so the number lives in a small
file beside the database (CONTENT_VERSION_FILE), read again only when its mtime changes.
"""

import json
import os
import time
import weakref

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

KEY = "pagecache:state"
_memo = {}


def _next_scheduled():
    from django.utils import timezone

    from articles.models import Article

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


class _CommitBump:
    """The one bump owed by a transaction, however many changes registered it."""

    done = False

    def __call__(self):
        if not self.done:
            self.done = True
            bump()


# Per database connection (each thread has its own), the bump its open transaction owes.
_owed = weakref.WeakKeyDictionary()


def changed():
    """Public content changed: retire cached pages once the change is committed.

    Outside a transaction the change is already committed: bump now. Inside one, every change
    registers the same pending bump with on_commit, which runs it once, at the outermost commit.
    Each change registers it again because a savepoint that is rolled back discards what was
    registered inside it, while the changes around it still need their bump. A pending bump whose
    transaction was rolled back never ran, so the next transaction that changes something reuses it.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump()
        return
    owed = _owed.get(connection)
    if owed is None or owed.done:
        owed = _owed[connection] = _CommitBump()
    transaction.on_commit(owed, robust=True)


def content_changed(sender, **kwargs):
    """Receiver of `articles.signals.public_content_changed`."""
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
