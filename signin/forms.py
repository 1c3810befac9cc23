from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction

from . import devices

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "8"}
)


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in, asking for the authenticator's code of anyone who has set one up.

    A wrong code counts as a failed sign-in for django-axes (as a wrong password does), so codes
    cannot be guessed past its lockout; django-otp also slows each device down after failures.
    """

    otp_token = forms.CharField(
        label="Authentication code",
        required=False,
        widget=CODE_WIDGET,
        help_text="The 6-digit code your authenticator app shows, if you have set one up.",
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": "Enter the 6-digit code from your authenticator app.",
        "code_invalid": "That code is not right, or has expired: enter the one showing now.",
        "code_throttled": "Too many wrong codes in a row: wait a few seconds, then try again.",
    }

    def clean(self):
        cleaned = super().clean()  # the password (and axes' lockout) first
        user = self.get_user()
        device = devices.confirmed_device(user) if user else None
        if device is None:
            return cleaned
        code = (cleaned.get("otp_token") or "").strip()
        if not code:
            raise ValidationError(self.error_messages["code_required"], code="code_required")
        allowed, _ = device.verify_is_allowed()  # django-otp's pause after each wrong code
        if not allowed:
            raise ValidationError(self.error_messages["code_throttled"], code="code_throttled")
        with transaction.atomic():  # verify_token saves the device's counters
            verified = device.verify_token(code)
        if not verified:
            user_login_failed.send(
                sender=type(self),
                credentials={"username": cleaned.get("username")},
                request=self.request,
            )
            raise ValidationError(self.error_messages["code_invalid"], code="code_invalid")
        user.otp_device = device  # django_otp marks the session verified at login
        return cleaned
