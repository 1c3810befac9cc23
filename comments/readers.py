"""Readers with an account (the `readers` app, django-allauth), as comments see them: the name
they sign with and the address they proved by a sign-in code or a provider that vouched for it.

A signed-in reader's comment needs no confirmation mail, since the address is already proved;
what is held for moderation stays as for anyone (comments.policy).
"""

from allauth.account.models import EmailAddress


def is_reader(user):
    """Signed in with a reader account (staff sign in at the admin and sign as the practice)."""
    return bool(user and user.is_authenticated and user.is_active and not user.is_staff)


def verified_address(user):
    """The reader's proved address, lower-case, or '' if none is proved yet."""
    if not is_reader(user):
        return ""
    found = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return (found or "").strip().lower()


def reader_name(user):
    """The name a reader signs comments with: the one they gave, never their address."""
    return user.get_full_name().strip()[:50] if is_reader(user) else ""
