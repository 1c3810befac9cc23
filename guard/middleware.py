"""Security headers on every response, cached pages included (both sit outside the page cache).

`Permissions-Policy`: browser features no page of ours uses are refused outright.
`CSPMiddleware`: django-csp's, with the header built once per policy instead of per response.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings

# Set on a response by django-csp's view decorators: such a response has a policy of its own.
VIEW_POLICY = tuple(
    f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")
)


def permissions_policy():
    return ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.setdefault("Permissions-Policy", permissions_policy())
        return response


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp rebuilds its header from settings on every response (deep copies and dataclass
    conversions: a third of the CPU of a page served from the page cache). A response that used
    no nonce and no view decorator always gets the same header, so that one is built once for
    each settings dict (a test's override_settings brings a new dict, hence a new header)."""

    built = {}

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or settings.DEBUG
            or any(getattr(response, name, None) is not None for name in VIEW_POLICY)
        ):
            return super().process_response(request, response)
        for header, setting, exempt in (
            (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt"),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro"),
        ):
            policy = getattr(settings, setting, None) or {}
            value = self.header(policy, report_only=header == HEADER_REPORT_ONLY)
            prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES") or ())
            wanted = value and header not in response and not getattr(response, exempt, False)
            if wanted and not request.path_info.startswith(prefixes):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def header(self, policy, report_only):
        # Keyed by the dict itself (held, so its id is never reused), not by its contents.
        held, value = self.built.get(report_only, (None, None))
        if held is not policy:
            value = build_policy(report_only=report_only)
            self.built[report_only] = (policy, value)
        return value
