from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from . import devices
from .forms import CODE_WIDGET


class CodeForm(forms.Form):
    otp_token = forms.CharField(label="Code from the app", widget=CODE_WIDGET, max_length=8)


def qr_svg(url):
    # Inline SVG (no style attributes, no data: URL): nothing the Content-Security-Policy refuses.
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, title="QR code to scan")
    return mark_safe(svg)  # noqa: S308 - segno's own markup for our own URL


def grouped(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@staff_member_required
def setup(request):
    """Turn on two-factor sign-in: scan the code (or type the secret), then prove it works."""
    user = request.user
    current = devices.confirmed_device(user)
    if current and not user.is_verified():
        # Signed in without the code this account requires (a session from before it was set
        # up elsewhere): sign in again, with the code. Never let such a session replace it.
        logout(request)
        return redirect(f"{reverse('admin:login')}?next={reverse('two-factor-setup')}")
    if request.method == "POST" and request.POST.get("action") == "remove":
        if settings.STAFF_REQUIRE_2FA:
            messages.error(request, "Two-factor sign-in is required on this site.")
        else:
            devices.remove_all(user)
            messages.success(request, "Two-factor sign-in is off for your account.")
        return redirect("two-factor-setup")
    adding = current is None or request.GET.get("new") or request.method == "POST"
    form = CodeForm(request.POST if request.method == "POST" else None)
    device = devices.pending_device(user) if adding else None
    if device and form.is_valid():
        if not device.verify_is_allowed()[0]:  # django-otp's pause after each wrong code
            form.add_error("otp_token", "Too many wrong codes in a row: wait a few seconds.")
        else:
            with transaction.atomic():
                verified = device.verify_token(form.cleaned_data["otp_token"].strip())
            if verified:
                devices.confirm(device)
                otp_login(request, device)
                messages.success(
                    request,
                    "Two-factor sign-in is on: from now on, sign in with a code from the app.",
                )
                return redirect("admin:index")
            form.add_error("otp_token", "That code is not right: enter the one the app shows now.")
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor sign-in",
        "current": current,
        "device": device,
        "form": form,
        "required": settings.STAFF_REQUIRE_2FA,
    }
    if device:
        context["qr"] = qr_svg(device.config_url)
        context["secret"] = grouped(b32encode(device.bin_key).decode())
    return TemplateResponse(request, "signin/setup.html", context)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in while locked out (AXES_LOCKOUT_CALLABLE): 429, plainly."""
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    response = TemplateResponse(request, "signin/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response.render()
