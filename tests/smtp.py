"""A real SMTP server on loopback (aiosmtpd) for tests of mail that must arrive."""

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Inbox:
    """Collects what the server accepted, and misbehaves on request:

    - `refuse`: addresses answered at RCPT with a 5xx (the mailbox does not exist: a bounce);
    - `defer`: addresses answered at RCPT with a 4xx (try again later);
    - `down`: every RCPT answered 421 (the relay is unavailable);
    - `down_after`: the relay becomes unavailable once that many messages were accepted;
    - `delay`: seconds between taking a message in and saying 250, as a slow relay would (a
      client killed in that gap leaves a message the server has, but the client never knew);
    - `hang_up`: addresses whose message is taken in, then the connection drops before the 250.
    - `rcpt`: scripted RCPT answers per address ({"full@x": "452 4.2.2 Mailbox full"});
    - `rcpt_all`: one answer to every RCPT (a relay refusing everyone: "554 5.7.1 …");
    - `mail_from`: an answer to every MAIL FROM (a relay refusing the sender).
    `connections` counts the SMTP sessions opened (one per EHLO).
    """

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.defer = set()
        self.down = False
        self.down_after = None
        self.delay = 0
        self.hang_up = set()
        self.rcpt = {}
        self.rcpt_all = None
        self.mail_from = None
        self.refusals = Counter()  # scripted refusals answered, per address
        self.connections = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self._lock:
            self.connections += 1
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_from:
            return self.mail_from
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        scripted = self.rcpt_all or self.rcpt.get(address.lower())
        if scripted:
            with self._lock:
                self.refusals[address.lower()] += 1
            return scripted
        exhausted = self.down_after is not None and len(self.messages) >= self.down_after
        if self.down or exhausted:
            return "421 4.3.0 Service not available, try again later"
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        if address.lower() in self.defer:
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, message))
            self._arrived.notify_all()
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hang_up & {rcpt.lower() for rcpt in envelope.rcpt_tos}:
            server.transport.close()
            return "421 4.4.2 Connection dropped"  # never reaches the client
        return "250 Message accepted for delivery"

    def kill(self):
        """Stop the server at once: sessions in flight are cut off, new connections refused."""
        self.controller.stop(no_assert=True)

    def revive(self):
        """A new server on the same port, counting into the same inbox."""
        self.controller = _Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def to(self, address):
        return [m for rcpt, m in self.messages if rcpt.lower() == address.lower()]

    def wait_for(self, count, timeout=30):
        """Block until `count` messages have arrived (the worker runs in another process)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return len(self.messages) >= count

    def count_to(self):
        """How many messages each address received."""
        with self._lock:
            return Counter(rcpt.lower() for rcpt, _ in self.messages)

    def clear(self):
        with self._lock:
            self.messages.clear()


def body_text(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part else ""


def body_html(message):
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part else ""


class _Controller(Controller):
    def factory(self):
        return SMTP(self.handler, hostname="localhost", ident="backstory-tests")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp_server():
    inbox = Inbox()
    controller = _Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    inbox.controller = controller
    return controller, inbox
