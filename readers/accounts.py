"""Reader accounts: made when an address first asks for a sign-in code, deleted on request."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from comments import privacy as comments_privacy
from comments.readers import verified_address
from subscriptions import privacy as subscriptions_privacy

from .identity import is_staff, random_username


def reader_for(address):
    """The reader account that a sign-in code for `address` goes to, made now if there is none;
    None for an address a staff account uses (staff sign in at the admin).

    The account has no password and its address is not verified until the code is entered, so
    typing someone's address gives nobody anything: it only mails that address a code.
    """
    address = address.strip().lower()
    User = get_user_model()
    if any(is_staff(u) for u in User.objects.filter(email__iexact=address)):
        return None
    existing = EmailAddress.objects.filter(email__iexact=address).select_related("user").first()
    if existing:
        return None if is_staff(existing.user) else existing.user
    try:
        with transaction.atomic():
            user = User(username=random_username(), email=address)
            user.set_unusable_password()
            user.save()
            EmailAddress.objects.create(user=user, email=address, primary=True, verified=False)
    except IntegrityError:  # the same address asked twice at once: the other request made it
        existing = EmailAddress.objects.filter(email__iexact=address).select_related("user")
        return existing.first().user if existing.exists() else None
    return user


def delete_account(user):
    """ "Delete my account": the comments written with the reader's address are erased as staff
    erasure does (others' replies stay), the follow of the blog is erased with its suppression
    fingerprint kept, and the account goes with its likes, addresses and social links."""
    address = verified_address(user)
    with transaction.atomic():
        if address:
            comments_privacy.erase_address(address)
            subscriptions_privacy.erase_address(address)
        user.delete()


def purge_never_used(before):
    """Delete reader accounts made for an address that asked for a code before `before` and
    never entered one (never verified, never signed in): anyone can type anyone's address."""
    User = get_user_model()
    stale = (
        User.objects.filter(
            is_staff=False, is_superuser=False, last_login__isnull=True, date_joined__lt=before
        )
        .exclude(emailaddress__verified=True)
        .exclude(socialaccount__isnull=False)
    )
    deleted, by_model = stale.delete()
    return by_model.get(User._meta.label, 0)
