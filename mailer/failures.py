"""What a failed send means, and how long to wait before trying again.

`classify` is the one place that decides what counts as a bounce; the apps act on its verdict
with their own policies (subscriptions suppress a bounced follower; comments drop the mail).
"""

import smtplib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings


class Kind(StrEnum):
    # May pass later: a 4xx reply, or the connection could not be made or broke.
    TEMPORARY = "temporary"
    # The relay answered 5xx to something other than a recipient: the sender, the message,
    # the login.
    RELAY_REFUSED = "relay-refused"
    # The recipient's address was refused for good (5xx).
    BOUNCED = "bounced"
    # Not a mail error at all (a bug, most likely).
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Failure:
    kind: Kind
    # The server refused the message with a reply, so it certainly does not have it; otherwise
    # (the connection broke on the way) it may or may not have taken it.
    answered: bool
    description: str  # for logs and staff mail; never names the recipient

    @property
    def may_have_arrived(self):
        return not self.answered


def classify(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        final = bool(codes) and all(code >= 500 for code in codes)
        return Failure(Kind.BOUNCED if final else Kind.TEMPORARY, True, describe(error))
    if isinstance(error, smtplib.SMTPResponseException):
        kind = Kind.RELAY_REFUSED if error.smtp_code >= 500 else Kind.TEMPORARY
        return Failure(kind, True, describe(error))
    if isinstance(error, smtplib.SMTPNotSupportedError):
        # Raised before anything is sent (the server lacks an extension the message needs).
        return Failure(Kind.TEMPORARY, True, describe(error))
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return Failure(Kind.TEMPORARY, False, describe(error))
    return Failure(Kind.UNKNOWN, False, describe(error))


def describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Without the address: this goes to logs and staff mail; the caller knows whose it was.
        return "; ".join(
            f"recipient refused: {code} {_text(message)}"
            for code, message in error.recipients.values()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _text(message):
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def backoff(attempt):
    """How long to wait after the `attempt`-th failed attempt (1 for the first).

    From MAIL_RETRY_DELAYS; past its end, its last delay again.
    """
    delays = settings.MAIL_RETRY_DELAYS
    return timedelta(seconds=delays[max(1, min(attempt, len(delays))) - 1])


def schedule_length():
    """Attempts that MAIL_RETRY_DELAYS spaces out: the first, and one after each delay."""
    return len(settings.MAIL_RETRY_DELAYS) + 1
