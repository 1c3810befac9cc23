from django.utils.crypto import get_random_string


def is_staff(user):
    """Staff and superusers sign in at the admin only, never through reader accounts."""
    return bool(user and (user.is_staff or user.is_superuser))


def random_username():
    # Never the address or a part of it: django_comments and others fall back to the username.
    return f"reader-{get_random_string(16).lower()}"
