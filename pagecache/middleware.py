"""HTTP caching for anonymous readers: Cache-Control, Last-Modified, and a full-page cache.

Readers who are not signed in all see the same pages, so their GETs can be answered from
Django's cache (Redis when REDIS_URL is set) and kept for a short time by the shipped nginx and
by browsers. Anyone signed in (staff, and readers with an account: their comment form names
them), POSTs, previews and per-reader pages (marked private or no-store, setting a cookie, or
carrying a CSP nonce) are never stored. ETags and 304 answers come from Django's
ConditionalGetMiddleware, placed before this one.

A cookie alone proves nothing: anyone can send `sessionid=x`. A request counts as signed in only
when its session is valid and names an active user (looked up only when the cookie is there),
and a flash-message cookie only when its signature holds. Whoever is signed in also gets the
`STAFF_COOKIE` marker (named for staff, who had it first; readers with an account get it too),
which is all the shipped nginx looks at to bypass its cache.

It also gives every request `request.fragments`, the cached pieces of pages (fragments.py), so
the apps that render pages use them without importing this app.
"""

from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib import auth
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import signing
from django.core.cache import cache
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from . import version
from .fragments import FRAGMENTS, PAGE

SAFE = {"GET", "HEAD"}


# Set while someone signed in browses (staff, or a reader with an account); the shipped nginx
# bypasses its cache on it alone. The name is older than reader accounts.
STAFF_COOKIE = "bs_staff"


def signed_in(request):
    """Whether the request's session names an active user: staff, or a reader with an account,
    whose pages carry their name. Costs nothing without a session cookie; with one, a session
    lookup (and a user lookup if it names one)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    if not hasattr(request, "_pagecache_signed_in"):
        engine = import_module(settings.SESSION_ENGINE)
        # auth.get_user only reads `.session`: a stand-in leaves the request's own session to
        # SessionMiddleware, further in.
        user = auth.get_user(SimpleNamespace(session=engine.SessionStore(key)))
        request._pagecache_signed_in = user.is_authenticated and user.is_active
    return request._pagecache_signed_in


def has_flash_message(request):
    """A messages cookie that Django's message framework signed (a forged one is ignored)."""
    value = request.COOKIES.get(CookieStorage.cookie_name)
    if not value:
        return False
    try:
        signing.get_cookie_signer(salt=CookieStorage.key_salt).unsign(value)
    except signing.BadSignature:
        return False
    return True


def is_anonymous(request):
    """Nobody signed in and no pending flash message: the page is everyone's page."""
    return not signed_in(request) and not has_flash_message(request)


def used_nonce(request):
    # django-csp's lazy nonce is truthy once a template has read it: the page is this
    # response's alone, since its nonce must match this response's header.
    return bool(getattr(request, "csp_nonce", None))


def cache_key(request):
    return PAGE.key(request.get_host(), request.get_full_path())


def storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if used_nonce(request):
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-store", "no-cache"))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.respond(request)
        mark_staff(request, response)
        return response

    def respond(self, request):
        request.fragments = FRAGMENTS
        if request.method not in SAFE or not settings.PAGE_CACHE:
            return self.get_response(request)
        if not is_anonymous(request):
            response = self.get_response(request)
            # What staff see may include what the public must not, and a reader's page names
            # them: never keep it anywhere.
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
        elif used_nonce(request) and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
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


def mark_staff(request, response):
    """Set the STAFF_COOKIE marker when someone signs in (or browses without it), clear it
    otherwise.

    Judged by the request's user after the view ran (a sign-in or sign-out changes it), and only
    when a session or marker cookie is in play: anonymous requests pay nothing.
    """
    session_cookie = settings.SESSION_COOKIE_NAME
    marked = STAFF_COOKIE in request.COOKIES
    if not (marked or session_cookie in request.COOKIES or session_cookie in response.cookies):
        return
    user = getattr(request, "user", None)  # absent when a cached page answered
    staff = signed_in(request) if user is None else user.is_authenticated and user.is_active
    if staff and not marked:
        response.set_cookie(
            STAFF_COOKIE, "1", max_age=settings.SESSION_COOKIE_AGE, httponly=True,
            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    elif marked and not staff:
        response.delete_cookie(STAFF_COOKIE, samesite="Lax")
