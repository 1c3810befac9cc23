"""`same_site_post`: the one guard in front of every POST from an anonymous reader's page.

Comments, likes and the follow form are posted from pages that caches share between readers, so
those pages carry no per-reader CSRF token. The guard does that job instead, in this order:

1. the POST must come from one of this site's pages (its `Origin`, or `Referer`);
2. each `Limit` counts the request (`hit`), and the first one exceeded refuses it;
3. the view runs, with Django's CSRF check marked done (views it calls, such as
   django-comments-xtd's, are CSRF-protected themselves).

Other methods (the follow form's GET) reach the view untouched. Each view keeps its own way of
saying no: `refused(request, refusal)` returns the response.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.views.decorators.csrf import csrf_exempt

from .requests import from_this_site, hit

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def parse_rate(rate):
    """ "5/m" → (5, 60): at most 5 a minute; "3/30s" → (3, 30); "10/h" → (10, 3600)."""
    match = RATE.match(rate)
    if not match:
        raise ValueError(f"Not a rate: {rate!r} (write it as 5/m, 10/h or 3/30s)")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * UNITS[unit]


@dataclass(frozen=True)
class Limit:
    """At most `rate` requests per window for each `key(request)`, counted apart per `scope`.

    `rate` is "5/m"-style, or a callable returning one when it comes from settings (read on
    every request, so a changed setting applies at once). `key` says who is counted, such as the
    client IP or the address in the form; a request for which it returns "" is not counted.
    """

    scope: str
    rate: str | Callable[[], str]
    key: Callable

    def per_window(self):
        """(requests allowed, window in seconds)."""
        return parse_rate(self.rate() if callable(self.rate) else self.rate)


@dataclass(frozen=True)
class Refusal:
    """Why the guard said no: `ORIGIN` (another site's POST) or `RATE` (over `limit`)."""

    ORIGIN = "origin"
    RATE = "rate"

    reason: str
    limit: Limit | None = None
    count: int | None = None  # the limit's allowance per window
    window: int | None = None  # its window, in seconds: when to try again at the latest


def same_site_post(*, refused, limits=()):
    """Guard a view's POSTs: same-site only, within `limits`; `refused` answers the others."""

    def decorator(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST":
                if not from_this_site(request):
                    return refused(request, Refusal(Refusal.ORIGIN))
                for limit in limits:
                    count, window = limit.per_window()
                    identity = limit.key(request)
                    if identity and not hit(limit.scope, identity, count, window):
                        return refused(request, Refusal(Refusal.RATE, limit, count, window))
                # The Origin check stands in for the CSRF token a shared page cannot carry.
                request.csrf_processing_done = True
            return view(request, *args, **kwargs)

        return csrf_exempt(guarded)

    return decorator
