"""HTTP caching for anonymous readers: Cache-Control, Last-Modified, and a full-page cache.

Readers without a session cookie all see the same pages, so their GETs can be answered from
Django's cache (Redis when REDIS_URL is set) and kept for a short time by the shipped nginx and
by browsers. Staff (who have a session), POSTs, previews and per-reader pages (marked private or
no-store, or setting a cookie) are never stored. ETags and 304 answers come from Django's
ConditionalGetMiddleware, placed before this one.

It also gives every request `request.fragments`, the cached pieces of pages (fragments.py), so
the apps that render pages use them without importing this app.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from . import version
from .fragments import FRAGMENTS, PAGE

SAFE = {"GET", "HEAD"}


def is_anonymous(request):
    """No session (staff sign-in) and no pending flash message: the page is everyone's page."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def cache_key(request):
    return PAGE.key(request.get_host(), request.get_full_path())


def storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.fragments = FRAGMENTS
        if request.method not in SAFE or not settings.PAGE_CACHE:
            return self.get_response(request)
        if not is_anonymous(request):
            response = self.get_response(request)
            # What staff see may include what the public must not: never keep it anywhere.
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key = cache_key(request)
        cached = cache.get(key)
        if cached is not None:
            response = cached
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if storable(request, response):
            self.mark_public(response)
            cache.set(key, response, PAGE.timeout())
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def mark_public(response):
        # Rendered for a reader without a session, so it is every such reader's page; the
        # session middleware's "Vary: Cookie" would only split caches by unrelated cookies.
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        vary = [v for v in vary if v.lower() != "cookie"]
        if vary:
            response["Vary"] = ", ".join(vary)
        elif response.has_header("Vary"):
            del response["Vary"]
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
        )
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(version.last_modified())
        set_response_etag(response)  # once, instead of hashing the page on every hit
