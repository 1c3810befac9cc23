"""Guards for POSTs from anonymous readers (comments, likes, following by email).

- `client_ip`: who sent a request, believing X-Forwarded-For only behind our own proxies.
- `from_this_site`: whether a POST came from one of our pages, by its Origin (or Referer).
  Pages for anonymous readers are cached, so they cannot carry a per-reader CSRF token; the
  browser's Origin header does that job instead.
- `hit`: a fixed-window rate limit that holds across processes (gunicorn workers, several
  hosts). With Redis (`REDIS_URL`) the shared cache counts; without it a small table does,
  because the default local-memory cache is per process and would let each worker grant its own
  allowance. The table prunes itself: each new window's row clears the expired ones.
- `once_per`: at most one of something (a mail) per identity in any stretch of that many
  seconds, shared by all processes like `hit`.

Views use these through `guard.decorators.same_site_post`; django-axes uses `client_ip` too.
"""

import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .hashing import keyed_hash
from .models import RateLimitCounter


def client_ip(request):
    """The address of whoever sent the request, believing X-Forwarded-For only behind our proxies.

    Each trusted proxy appends the address it received the request from, so with N proxies the
    N-th entry from the right is the client; anything left of it was written by the client.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def from_this_site(request):
    """Whether a POST was sent by a page of this site, judged by its Origin (or Referer)."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        referer = urlsplit(request.headers.get("Referer", ""))
        if not referer.scheme or not referer.netloc:
            return False
        origin = f"{referer.scheme}://{referer.netloc}"
    site = urlsplit(settings.SITE_URL)
    allowed = {
        f"{site.scheme}://{site.netloc}",
        f"{request.scheme}://{request.get_host()}",
        *settings.CSRF_TRUSTED_ORIGINS,
    }
    return origin.lower() in {o.lower() for o in allowed}


def hit(scope, identity, limit, window_seconds):
    """Count one request by `identity` in `scope`; True while it is within `limit` per window."""
    window = int(time.time() // window_seconds)
    # Keyed hash: no raw IP addresses are kept in the cache or the database.
    digest = keyed_hash(identity, "guard.ratelimit", length=32)
    key = f"ratelimit:{scope}:{digest}:{window}"
    if settings.REDIS_URL:
        count = _cache_hit(key, window_seconds)
    else:
        count = _database_hit(key, window_seconds)
    return count <= limit


def _cache_hit(key, window_seconds):
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def _database_hit(key, window_seconds):
    now = timezone.now()
    created = False
    with transaction.atomic():
        updated = RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(
                        key=key, count=1, expires_at=now + timedelta(seconds=window_seconds)
                    )
                created = True
            except IntegrityError:  # another process created it first
                RateLimitCounter.objects.filter(key=key).update(count=F("count") + 1)
        count = RateLimitCounter.objects.filter(key=key).values_list("count", flat=True).get()
    if created:
        # A new window began for someone: the table keeps only windows still running, so it
        # stays as small as the number of recent visitors (one indexed DELETE per new window).
        prune_expired(now)
    return count


def once_per(scope, identity, seconds):
    """True at most once per `identity` in `scope` in any `seconds`: the first call, then the
    first after that many seconds have passed since the last True. Unlike `hit`'s fixed windows,
    two Trues are never closer than `seconds`."""
    digest = keyed_hash(identity, "guard.ratelimit", length=32)
    key = f"once:{scope}:{digest}"
    if settings.REDIS_URL:
        return cache.add(key, 1, timeout=seconds)
    now = timezone.now()
    until = now + timedelta(seconds=seconds)
    with transaction.atomic():
        # An expired mark is renewed by exactly one caller: the update's condition decides.
        if RateLimitCounter.objects.filter(key=key, expires_at__lte=now).update(
            count=1, expires_at=until
        ):
            return True
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(key=key, count=1, expires_at=until)
        except IntegrityError:  # a mark is still running (or another process just made one)
            return False
    prune_expired(now)
    return True


def prune_expired(now=None):
    """Delete the counters of windows that are over; returns how many went."""
    now = now or timezone.now()
    return RateLimitCounter.objects.filter(expires_at__lt=now).delete()[0]
