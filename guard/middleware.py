"""`Permissions-Policy`: browser features no page of ours uses are refused outright.

Placed beside django-csp's middleware, outside the page cache, so cached pages carry it too.
"""

from django.conf import settings


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
