"""A password hasher for the test run only: Django's PBKDF2 with one iteration.

Every staff user a test makes is hashed, and at Django's 1,000,000 iterations that costs about
half a second of CPU each (more on a loaded machine), which added minutes to the suite. The
hashes it writes are ordinary `pbkdf2_sha256$1$...` strings, so any Django process a test starts
(a worker, gunicorn) verifies them with its own hashers and upgrades them on sign-in.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
