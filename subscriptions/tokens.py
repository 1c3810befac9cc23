"""Links in our mails carry a signed follower id, never the address itself."""

import hmac
from datetime import timedelta

from django.conf import settings
from django.core import signing

from .models import address_hash

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"
MANAGE_SALT = "subscriptions.manage"
# How much of the address's keyed fingerprint a manage link carries: enough that a link made
# for an erased follower never opens another's choices, should a database reuse the id.
ADDRESS_TAG_LENGTH = 16


class ExpiredLink(Exception):
    pass


class InvalidLink(Exception):
    pass


def confirm_token(follower):
    return signing.dumps({"f": follower.pk}, salt=CONFIRM_SALT)


def follower_id_from_confirm_token(token):
    try:
        data = signing.loads(
            token,
            salt=CONFIRM_SALT,
            max_age=timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_DAYS),
        )
    except signing.SignatureExpired as exc:
        raise ExpiredLink from exc
    except signing.BadSignature as exc:
        raise InvalidLink from exc
    return _follower_id(data)


def unsubscribe_token(follower):
    # No expiry: the link in a mail from years ago must still stop the mail.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"f": follower.pk})


def follower_id_from_unsubscribe_token(token):
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise InvalidLink from exc
    return _follower_id(data)


def manage_token(follower):
    # No expiry, like the unsubscribe link: a mail from months ago still leads to the choices.
    tag = address_hash(follower.email)[:ADDRESS_TAG_LENGTH]
    return signing.Signer(salt=MANAGE_SALT).sign_object({"f": follower.pk, "a": tag})


def follower_from_manage_token(token, followers):
    """The follower (from the queryset `followers`) a manage link was made for, or None if
    they are gone; InvalidLink if the link was not made by us."""
    try:
        data = signing.Signer(salt=MANAGE_SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise InvalidLink from exc
    follower = followers.filter(pk=_follower_id(data)).first()
    tag = data.get("a")
    if follower is None or not isinstance(tag, str):
        return None
    expected = address_hash(follower.email)[:ADDRESS_TAG_LENGTH]
    return follower if hmac.compare_digest(tag, expected) else None


def _follower_id(data):
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        raise InvalidLink
    return data["f"]
