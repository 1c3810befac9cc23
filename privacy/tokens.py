"""The "download my data" link: signed, expiring, and holding a keyed hash of the address, never
the address itself (a link may be forwarded, logged or opened by a mail scanner)."""

from django.conf import settings
from django.core import signing

from guard.hashing import keyed_hash

SALT = "privacy.download"


class InvalidLink(Exception):
    pass


class ExpiredLink(InvalidLink):
    pass


def address_digest(address):
    return keyed_hash(address.strip().lower(), SALT, length=32)


def download_token(address):
    return signing.dumps(address_digest(address), salt=SALT, compress=True)


def digest_from_token(token):
    try:
        return signing.loads(token, salt=SALT, max_age=settings.PRIVACY_DOWNLOAD_DAYS * 86400)
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise InvalidLink from None
