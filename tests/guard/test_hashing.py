import hashlib
import hmac

from guard.hashing import keyed_hash
from subscriptions.models import address_hash

KEPT_KEY = "a-suppression-key-kept-for-ever"


def test_the_suppression_fingerprint_is_byte_identical_to_the_one_stored_in_production(settings):
    """Suppression rows hold these: a different output would mail people who left."""
    settings.SUBSCRIPTIONS_HASH_KEY = KEPT_KEY
    # Before the hash moved into guard/: salted_hmac("subscriptions.suppression", address,
    # secret=SUBSCRIPTIONS_HASH_KEY, algorithm="sha256"), written out here by hand.
    key = hashlib.sha256(b"subscriptions.suppression" + KEPT_KEY.encode()).digest()
    formula = hmac.new(key, b"patient@example.com", hashlib.sha256).hexdigest()
    # And the value that formula gave, recorded before the change.
    recorded = "0e45fbe27f1b877d7166f1f161b6623783f76d354dbeb48b5574238e6bfecb63"
    assert address_hash(" Patient@Example.COM ") == formula == recorded


def test_one_value_hashes_apart_for_each_purpose_and_secret():
    ip = "203.0.113.5"
    digests = {
        keyed_hash(ip, "guard.ratelimit"),
        keyed_hash(ip, "comments.email"),
        keyed_hash(ip, "guard.ratelimit", secret="another-secret"),
    }
    assert len(digests) == 3
    assert keyed_hash(ip, "guard.ratelimit") == keyed_hash(ip, "guard.ratelimit")


def test_a_short_hash_is_the_start_of_the_long_one_and_shows_nothing_of_the_value():
    long = keyed_hash("pat@example.org", "comments.email")
    short = keyed_hash("pat@example.org", "comments.email", length=32)
    assert len(long) == 64 and short == long[:32]
    assert "pat" not in long and "example" not in long
