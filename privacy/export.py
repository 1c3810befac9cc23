"""One person's data, gathered from the apps that hold it (each says what it keeps about an
address); the `privacy` app is the one that knows both comments and subscriptions."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from comments import privacy as comments_privacy
from subscriptions import privacy as subscriptions_privacy

from .tokens import address_digest


def known(address):
    """Whether the site holds anything under `address` (no mail is sent otherwise)."""
    address = address.strip().lower()
    return any(a.strip().lower() == address for a in _candidates())


def _candidates():
    yield from comments_privacy.known_addresses()
    yield from subscriptions_privacy.known_addresses()
    yield from get_user_model().objects.exclude(email="").values_list("email", flat=True)


def address_for(digest):
    """The address a download link was made for, found by its hash; None if nothing here has it
    any more (erased since)."""
    for address in _candidates():
        if address_digest(address) == digest:
            return address.strip().lower()
    return None


def data_for(address):
    return {
        "email": address,
        "generated_at": timezone.now().isoformat(),
        **subscriptions_privacy.data_for(address),
        **comments_privacy.data_for(address),
    }
