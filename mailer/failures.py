"""What a failed send means, and how long to wait before trying again.

`classify` is the one place that decides what counts as a bounce and what is the relay's
problem; the apps act on its verdict with their own policies (subscriptions suppress a bounced
follower; comments drop that one mail). A refusal that every recipient would get (the sender,
the message, the connection, a 5.7.x policy code) is never a bounce. Whether (nearly) every
recipient of a batch was refused is for the sender of the batch to judge, with
`refusals_look_like_the_relay`.
"""

import re
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings


class Kind(StrEnum):
    # The relay may take it later: a 4xx to the sender or the message, a 421 (the relay is
    # closing), or the connection could not be made or broke. The relay's problem, not the
    # recipient's: the batch stops and waits.
    TEMPORARY = "temporary"
    # One recipient is refused for now (a 4xx at RCPT: a full mailbox, greylisting): that
    # recipient waits on their own backoff while the rest of the batch goes on.
    DEFERRED = "deferred"
    # The relay refused the mail for reasons of its own: a 5xx to the sender, the message or
    # the login, or a policy code (5.7.x) anywhere, a recipient's included ("Relay access
    # denied"). Never a bounce: retried later, and staff are told.
    RELAY_REFUSED = "relay-refused"
    # The recipient's address was refused for good (a 5xx at RCPT about the address or the
    # mailbox).
    BOUNCED = "bounced"
    # Not a mail error at all (a bug, most likely).
    UNKNOWN = "unknown"


# Kinds that say something about the relay, not about one recipient: the batch stops.
RELAY_KINDS = frozenset({Kind.TEMPORARY, Kind.RELAY_REFUSED})

# An enhanced status code (RFC 3463) at the start of a reply's text: class.subject.detail.
ENHANCED = re.compile(r"^\s*([245])\.(\d{1,3})\.(\d{1,3})\b")
# Subjects that are about the addressee (1: address, 2: mailbox). Every other subject (3 mail
# system, 4 network, 5 protocol, 6 content, 7 security or policy) is about the relay or the
# message, which every recipient shares.
ADDRESSEE_SUBJECTS = {"1", "2"}
# Basic codes that name the mailbox when a reply carries no enhanced code: 550 mailbox
# unavailable, 551 user not local, 552 mailbox full, 553 mailbox name not allowed. (554 is
# "transaction failed", which relays also use for "relay access denied".)
ADDRESSEE_CODES = {550, 551, 552, 553}


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

    @property
    def is_relays(self):
        """The relay's problem (stop the batch, retry later, tell staff), not one recipient's."""
        return self.kind in RELAY_KINDS


def recipient_kind(code, message):
    """What one refused recipient (the code and text of the RCPT reply) means."""
    if code == 421:
        return Kind.TEMPORARY  # the relay is closing the connection: nobody else gets through
    enhanced = ENHANCED.match(_text(message))
    if code < 500:
        return Kind.DEFERRED
    if enhanced:
        return Kind.BOUNCED if enhanced.group(2) in ADDRESSEE_SUBJECTS else Kind.RELAY_REFUSED
    return Kind.BOUNCED if code in ADDRESSEE_CODES else Kind.RELAY_REFUSED


# When one message's recipients get different answers, the one that says most about the relay.
PRECEDENCE = [Kind.TEMPORARY, Kind.RELAY_REFUSED, Kind.DEFERRED, Kind.BOUNCED]


def classify(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        kinds = {recipient_kind(code, message) for code, message in error.recipients.values()}
        kind = next((k for k in PRECEDENCE if k in kinds), Kind.TEMPORARY)
        return Failure(kind, True, describe(error))
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


# A batch whose refusals look like the relay's doing rather than the recipients': at least
# this many addresses refused, and at least this share of those the batch tried.
RELAY_REFUSAL_MIN = 3
RELAY_REFUSAL_SHARE = 0.8
# A batch stops once this many recipients in a row were refused with nothing accepted: a relay
# refusing everyone need not be asked about every address of the batch.
RELAY_REFUSAL_STREAK = 10


def refusals_look_like_the_relay(refused, tried):
    """Whether `refused` bounces among `tried` recipients are more likely the relay's doing
    (a misconfigured relay answering 550 to everyone) than that many dead mailboxes."""
    return refused >= RELAY_REFUSAL_MIN and refused >= RELAY_REFUSAL_SHARE * tried
