"""A real SMTP server on loopback (aiosmtpd) for tests of mail that must arrive."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Inbox:
    """Collects what the server accepted; `refuse` makes it answer RCPT with a 5xx for addresses."""

    def __init__(self):
        self.messages = []
        self.refuse = set()
        self.down = False
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.down:
            return "421 4.3.0 Service not available, try again later"
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, message))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for rcpt, m in self.messages if rcpt.lower() == address.lower()]

    def wait_for(self, count, timeout=30):
        """Block until `count` messages have arrived (the worker runs in another process)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return len(self.messages) >= count

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
    return controller, inbox
