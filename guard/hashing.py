"""The one keyed hash for what we must compare but never keep: email and IP addresses.

HMAC-SHA256 under a key derived from a `purpose` (so one address hashes differently for each
use, and a hash from one table says nothing in another) and a secret, SECRET_KEY unless given.
Keyed rather than a bare SHA-256: without the key, nobody can reverse a hash by hashing a
dictionary of likely addresses.
"""

from django.utils.crypto import salted_hmac


def keyed_hash(value, purpose, *, secret=None, length=None):
    """Hex digest of `value` for `purpose`; `length` keeps only that many leading characters.

    Callers normalise first (an address trimmed and lower-cased), so one person hashes alike.
    The suppression list stores these: for a given purpose and secret, the output must never
    change, or people who left would be mailed again.
    """
    digest = salted_hmac(purpose, value, secret=secret, algorithm="sha256").hexdigest()
    return digest[:length] if length else digest
