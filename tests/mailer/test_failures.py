import smtplib
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage, get_connection

from mailer.failures import Kind, backoff, classify, schedule_length
from tests.smtp import free_port


def failure_sending_to(address, settings):
    """What the real loopback server's answer for `address` raises, classified."""
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([EmailMessage("Hi", "Hello", "blog@example.org", [address])])
    except Exception as error:
        return classify(error)
    raise AssertionError("the mail was accepted")


def test_a_recipient_refused_for_good_is_a_bounce(smtp_server, settings):
    smtp_server.refuse.add("gone@example.net")
    failure = failure_sending_to("gone@example.net", settings)
    assert (failure.kind, failure.may_have_arrived) == (Kind.BOUNCED, False)
    assert failure.description == "recipient refused: 550 5.1.1 No such user here"
    assert "gone@" not in failure.description


def test_a_deferred_recipient_waits_alone_and_a_relay_that_is_down_is_temporary(
    smtp_server, settings
):
    smtp_server.defer.add("busy@example.net")
    failure = failure_sending_to("busy@example.net", settings)
    assert (failure.kind, failure.is_relays) == (Kind.DEFERRED, False)
    smtp_server.rcpt["full@example.net"] = "452 4.2.2 Mailbox full"
    assert failure_sending_to("full@example.net", settings).kind == Kind.DEFERRED
    smtp_server.down = True
    failure = failure_sending_to("anyone@example.net", settings)
    assert (failure.kind, failure.may_have_arrived) == (Kind.TEMPORARY, False)
    assert failure.is_relays
    assert "421" in failure.description


@pytest.mark.parametrize(
    "reply",
    [
        "554 5.7.1 Relay access denied",
        "550 5.7.1 Client host rejected: access denied",
        "553 5.7.1 Sender address rejected: not owned by user",
        "554 Relay access denied",  # no enhanced code: 554 is not about the mailbox
        "550 5.3.0 Mail system full",
    ],
)
def test_a_policy_or_system_refusal_of_a_recipient_is_the_relays_problem_not_a_bounce(
    smtp_server, settings, reply
):
    smtp_server.rcpt["reader@example.net"] = reply
    failure = failure_sending_to("reader@example.net", settings)
    assert (failure.kind, failure.is_relays) == (Kind.RELAY_REFUSED, True)


@pytest.mark.parametrize(
    "reply", ["550 5.1.1 No such user", "552 5.2.2 Mailbox full for good", "550 No such user"]
)
def test_a_refusal_about_the_address_or_mailbox_is_a_bounce(smtp_server, settings, reply):
    smtp_server.rcpt["gone@example.net"] = reply
    failure = failure_sending_to("gone@example.net", settings)
    assert (failure.kind, failure.is_relays) == (Kind.BOUNCED, False)


def test_a_refused_sender_is_the_relays_problem(smtp_server, settings):
    smtp_server.mail_from = "553 5.7.1 Sender address rejected"
    failure = failure_sending_to("reader@example.net", settings)
    assert (failure.kind, failure.is_relays) == (Kind.RELAY_REFUSED, True)


def test_a_relay_that_cannot_be_reached_is_temporary(settings, smtp_server):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    failure = failure_sending_to("anyone@example.net", settings)
    assert failure.kind == Kind.TEMPORARY
    assert failure.description.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(
    ("error", "kind", "may_have_arrived"),
    [
        (smtplib.SMTPSenderRefused(553, b"5.7.1 Sender not allowed", "b@x"), Kind.RELAY_REFUSED, 0),
        (smtplib.SMTPDataError(554, b"5.6.0 Message rejected"), Kind.RELAY_REFUSED, 0),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), Kind.RELAY_REFUSED, 0),
        (smtplib.SMTPDataError(452, b"4.3.1 Out of storage"), Kind.TEMPORARY, 0),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), Kind.TEMPORARY, 0),
        # The connection broke with the message on its way: the server may have it.
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), Kind.TEMPORARY, 1),
        (ConnectionResetError(104, "Connection reset by peer"), Kind.TEMPORARY, 1),
        (ValueError("not a mail problem"), Kind.UNKNOWN, 1),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else None,
)
def test_what_the_relay_answered_decides_the_kind(error, kind, may_have_arrived):
    failure = classify(error)
    assert (failure.kind, failure.may_have_arrived) == (kind, bool(may_have_arrived))


def test_backoff_follows_mail_retry_delays_and_then_keeps_its_last_delay(settings):
    settings.MAIL_RETRY_DELAYS = [60, 300, 900]
    assert [backoff(n) for n in (1, 2, 3, 4, 10)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(minutes=15),
        timedelta(minutes=15),
    ]
    assert schedule_length() == 4


def settings_in_a_new_process(**env):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backstory.settings'; "
        "django.setup(); from django.conf import settings; print(settings.MAIL_RETRY_DELAYS)"
    )
    env = {"SECRET_KEY": "x", "PATH": "/usr/bin:/bin", **env}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return result.stdout.strip()


def test_the_older_setting_name_is_still_read_and_the_new_one_wins():
    assert settings_in_a_new_process() == "[60, 300, 900, 3600, 10800, 21600, 43200]"
    assert settings_in_a_new_process(SUBSCRIPTIONS_RETRY_DELAYS="30,90") == "[30, 90]"
    both = {"SUBSCRIPTIONS_RETRY_DELAYS": "30,90", "MAIL_RETRY_DELAYS": "10,20,40"}
    assert settings_in_a_new_process(**both) == "[10, 20, 40]"
