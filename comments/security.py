"""Request checks for anonymous POSTs: client IP, same-origin, and a cross-process rate limit."""

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F


def client_ip(request):
    """REMOTE_ADDR, or the address our own trusted proxies saw (never a client-supplied one)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def same_origin(request):
    """True when the POST comes from a page of this site.

    Anonymous readers may be served cached pages, which can carry no per-reader CSRF token, so
    their POSTs are checked by the browser-set Origin header (or Referer when Origin is absent).
    """
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    allowed = {urlsplit(settings.SITE_URL).netloc, request.get_host()}
    return parts.scheme in {"http", "https"} and parts.netloc in allowed


def too_many(key, limit, window):
    """Count one hit for `key`; True if it is over `limit` in the current `window` seconds.

    Shared by every server process: through Redis when REDIS_URL is set, otherwise through a
    database counter (the local-memory cache would count per process).
    """
    bucket = int(time.time() // window)
    if settings.REDIS_URL:
        cache_key = f"rl:{key}:{bucket}"
        cache.add(cache_key, 0, timeout=window * 2)
        return cache.incr(cache_key) > limit
    return _db_hit(key[:120], bucket) > limit


def _db_hit(key, bucket):
    from .models import RateLimitHit

    for _attempt in range(3):
        try:
            with transaction.atomic():
                updated = RateLimitHit.objects.filter(key=key, window=bucket).update(
                    count=F("count") + 1
                )
                if not updated:
                    RateLimitHit.objects.create(key=key, window=bucket, count=1)
                    # A new window: earlier windows of every key are finished with.
                    RateLimitHit.objects.filter(window__lt=bucket).delete()
            break
        except IntegrityError:
            continue  # another process created the row first: count on it
    return RateLimitHit.objects.filter(key=key, window=bucket).values_list("count", flat=True)[0]
