from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class TwoFactorRequiredMiddleware:
    """With STAFF_REQUIRE_2FA, staff signed in by password alone may only set up their code.

    Runs after django-otp's middleware, which tells whether the session was verified by a code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_2FA and self.must_set_up(request):
            return redirect("two-factor-setup")
        return self.get_response(request)

    @staticmethod
    def must_set_up(request):
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return False
        allowed = (
            reverse("two-factor-setup"),
            reverse("admin:logout"),
            settings.STATIC_URL,
            settings.MEDIA_URL,
        )
        return not request.path.startswith(allowed)
