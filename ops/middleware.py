"""`/healthz` and `/healthz/ready`, answered right after the security headers are set.

A probe must learn whether the database, the cache and the worker answer, not trip over the
machinery in front of the views: the page cache (which would fail on a down Redis before the
view could say so), sessions, or the host check (load balancers probe by address). The HTTPS
redirect exempts both paths (SECURE_REDIRECT_EXEMPT): probes come over plain HTTP. Only GET
and HEAD; nothing here is ever cached.
"""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

from . import health


def healthz():
    """Cheap: the database only."""
    ok, _detail = health.database()
    if not ok:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def ready():
    results = health.readiness()
    failing = [part for part, ok, _detail in results if not ok]
    lines = ["ready" if not failing else f"not ready: {', '.join(failing)}"]
    lines += [f"{part}: {detail}" for part, _ok, detail in results]
    return HttpResponse(
        "\n".join(lines) + "\n", status=503 if failing else 200, content_type="text/plain"
    )


PROBES = {"/healthz": healthz, "/healthz/ready": ready}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        response = probe()
        add_never_cache_headers(response)
        return response
