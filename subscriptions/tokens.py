"""Links in our mails carry a signed follower id, never the address itself."""

from datetime import timedelta

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "subscriptions.confirm"
UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"


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


def _follower_id(data):
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        raise InvalidLink
    return data["f"]
