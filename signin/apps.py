from django.apps import AppConfig


class SigninConfig(AppConfig):
    """Staff sign-in: the admin's login form with a two-factor code, and setting the code up."""

    name = "signin"
    verbose_name = "Staff sign-in"
