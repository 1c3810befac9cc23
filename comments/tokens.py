"""Links in comment mail: opaque tokens, never an address.

- Confirm tokens are random and single-use; only their hash is stored on the comment, and they
  expire after COMMENTS_CONFIRM_MAX_AGE.
- Mute tokens are signed JSON naming one comment (never its address) and never expire: the link
  in an old follow-up must still stop the mail, as RFC 8058 one-click requests expect.
"""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Comment

MUTE_SALT = "comments.mute"


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_confirm_token(comment):
    """A fresh single-use token; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    comment.confirm_token_hash = hash_token(token)
    comment.confirm_sent_at = timezone.now()
    comment.save(update_fields=["confirm_token_hash", "confirm_sent_at"])
    return token


def find_by_confirm_token(token):
    if not token or len(token) > 100:
        return None
    comment = Comment.objects.filter(
        confirm_token_hash=hash_token(token), status=Comment.Status.UNCONFIRMED
    ).first()
    if comment is None or comment.confirm_sent_at is None:
        return None
    age = (timezone.now() - comment.confirm_sent_at).total_seconds()
    return comment if age <= settings.COMMENTS_CONFIRM_MAX_AGE else None


def mute_token(comment):
    return signing.dumps({"c": comment.pk}, salt=MUTE_SALT, compress=True)


def comment_for_mute_token(token):
    try:
        data = signing.loads(token, salt=MUTE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    return Comment.objects.filter(pk=data["c"]).first()
