"""Copies of one message that differ only in a few plain values (the recipient, a personal link),
serialised once: mail to thousands of followers, where building and serialising every copy with
the email package costs more than sending it.

A `Prototype` is the message built the ordinary way (`compose.build`) with `placeholder(name)`
wherever a copy's own value goes. It is serialised once; `copy()` puts each copy's values into
those bytes and gives it its own Message-ID. It answers None whenever that would not give the
very bytes the email package would have written (a placeholder folded, wrapped or encoded on
the way; a value that is not plain ASCII, or that HTML escaping would change): the caller then
builds that copy the ordinary way.
"""

import email
import email.policy
from email.utils import make_msgid

from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.utils.html import escape

MESSAGE_ID = "<qqmergemessageidqq@merge.invalid>"
# What can be put into a 7bit or 8bit part as it is; quoted-printable or base64 would need the
# value encoded first.
PLAIN_ENCODINGS = {None, "7bit", "8bit"}


def placeholder(name, address=False):
    """Letters only, so that no template, HTML escaping or header folding changes it."""
    return f"qqmerge{name}qq@merge.invalid" if address else f"qqmerge{name}qq"


class Prototype:
    def __init__(self, message, tokens):
        """`message` was built with `tokens[name]` (a `placeholder`) for each value a copy has."""
        message.extra_headers["Message-ID"] = MESSAGE_ID
        self.message = message
        self.tokens = tokens
        self.data = message.message().as_bytes(linesep="\r\n")
        self.mergeable = self._intact()

    def _strings(self, message):
        return [
            message.subject,
            message.body,
            *(content for content, _ in message.alternatives),
            *(str(value) for value in message.extra_headers.values()),
            *message.to,
        ]

    def _intact(self):
        strings = self._strings(self.message)
        for token in self.tokens.values():
            written = sum(text.count(token) for text in strings)
            if not written or self.data.count(token.encode()) != written:
                return False
        parsed = email.message_from_bytes(self.data, policy=email.policy.compat32)
        return all(
            ((part.get("Content-Transfer-Encoding") or "").lower() or None) in PLAIN_ENCODINGS
            for part in parsed.walk()
        )

    def copy(self, **values):
        """The message with these values in place of the placeholders, or None (build it)."""
        if not self.mergeable or not all(_plain(value) for value in values.values()):
            return None
        pairs = [(self.tokens[name], value) for name, value in values.items()]
        data = self.data.replace(MESSAGE_ID.encode(), make_msgid(domain=DNS_NAME).encode())
        for token, value in pairs:
            data = data.replace(token.encode(), value.encode())
        m = self.message
        copy = MergedMessage(
            _put(m.subject, pairs),
            _put(m.body, pairs),
            m.from_email,
            [_put(address, pairs) for address in m.to],
            headers={
                name: _put(str(value), pairs)
                for name, value in m.extra_headers.items()
                if name != "Message-ID"
            },
            alternatives=[(_put(content, pairs), kind) for content, kind in m.alternatives],
        )
        copy.data = data
        return copy


class MergedMessage(EmailMultiAlternatives):
    """A copy whose bytes are made already; reads like any message (body, headers, parts)."""

    data = b""

    def message(self):
        return _Serialised(self.data)


class _Serialised:
    """What the SMTP backend needs of a message (its bytes), and the parsed message for the rest."""

    def __init__(self, data):
        self.data = data
        self._parsed = None

    def as_bytes(self, unixfrom=False, linesep="\n", **kwargs):
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n", **kwargs):
        return self.as_bytes(linesep=linesep).decode("utf-8", errors="replace")

    def _message(self):
        if self._parsed is None:
            self._parsed = email.message_from_bytes(self.data, policy=email.policy.compat32)
        return self._parsed

    def __getitem__(self, name):
        return self._message()[name]

    def __getattr__(self, name):
        return getattr(self._message(), name)


def _plain(value):
    return value.isascii() and "\r" not in value and "\n" not in value and escape(value) == value


def _put(text, pairs):
    for token, value in pairs:
        text = text.replace(token, value)
    return text
