"""Optional two-factor sign-in for staff (django-otp TOTP), enforced by STAFF_REQUIRE_2FA."""

import datetime
import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth import SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory
from tests.pages import attrs, nowhere, one, text, texts

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"
SETUP = "/admin/two-factor/"


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def staff(db):
    return UserFactory(username="surgeon", is_superuser=True)


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)


def sign_in(client, **fields):
    return client.post(LOGIN, {"username": "surgeon", "password": PASSWORD, **fields})


def test_staff_without_an_authenticator_sign_in_with_the_password(client, staff):
    page = client.get(LOGIN)
    field = one(page, 'form input[name="otp_token"]')
    assert text(page, f'label[for="{field["id"]}"]').startswith("Authentication code")
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_with_an_authenticator_need_its_code(client, staff, device):
    missing = sign_in(client)
    assert missing.status_code == 200
    assert "Enter the 6-digit code from your authenticator app." in text(missing, "#content")
    assert SESSION_KEY not in client.session

    # The clock stands still (password hashing is slow on a busy machine), then moves on.
    with time_machine.travel(time.time(), tick=False) as clock:
        wrong = sign_in(client, otp_token="000000" if code_for(device) != "000000" else "111111")
        assert "That code is not right" in text(wrong, "#content")
        assert SESSION_KEY not in client.session
        # A wrong code counts against the lockout like a wrong password.
        assert AccessAttempt.objects.get(username="surgeon").failures_since_start == 1
        # django-otp pauses the device after a wrong code, and the form says so.
        device.refresh_from_db()
        throttled = sign_in(client, otp_token=code_for(device))
        assert "Too many wrong codes in a row" in text(throttled, "#content")

        clock.shift(datetime.timedelta(seconds=5))
        assert sign_in(client, otp_token=code_for(device)).status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_code_works_only_once(client, staff, device):
    code = code_for(device)
    assert sign_in(client, otp_token=code).status_code == 302
    replay = sign_in(type(client)(), otp_token=code)
    assert replay.status_code == 200 and "That code is not right" in text(replay, "#content")


def test_setting_up_shows_a_qr_code_and_the_secret_and_turns_on_with_a_right_code(client, staff):
    client.force_login(staff)
    page = BeautifulSoup(client.get(SETUP).content, "html.parser")
    svg = page.select_one(".two-factor-qr svg")
    assert svg is not None and svg.find("path") is not None
    assert not page.select("[style]")  # nothing the Content-Security-Policy would refuse
    secret = page.select_one(".two-factor-secret").get_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    [pending] = TOTPDevice.objects.filter(user=staff)
    assert not pending.confirmed
    # Reloading keeps the same secret (the phone may already have it).
    again = BeautifulSoup(client.get(SETUP).content, "html.parser")
    assert again.select_one(".two-factor-secret").get_text().replace(" ", "") == secret

    wrong = client.post(SETUP, {"action": "confirm", "otp_token": "12345"})
    assert "That code is not right" in text(wrong, "#content")
    with time_machine.travel(datetime.timedelta(seconds=5)):
        response = client.post(SETUP, {"action": "confirm", "otp_token": code_for(pending)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    pending.refresh_from_db()
    assert pending.confirmed

    client.logout()
    assert "Enter the 6-digit code" in text(sign_in(client), "#content")


def test_staff_may_turn_it_off_unless_it_is_required(client, staff, device, settings):
    sign_in(client, otp_token=code_for(device))
    page = client.get(SETUP)
    assert "Two-factor sign-in is on for your account" in text(page, "#content")
    assert "on" in texts(page, "#content-main p strong")
    assert "Turn two-factor sign-in off" in attrs(page, 'form [type="submit"]', "value")
    settings.STAFF_REQUIRE_2FA = True
    assert nowhere(client.get(SETUP), "Turn two-factor sign-in off")
    client.post(SETUP, {"action": "remove"})
    assert TOTPDevice.objects.filter(user=staff).exists()
    settings.STAFF_REQUIRE_2FA = False
    client.post(SETUP, {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_when_required_staff_without_an_authenticator_are_sent_to_set_one_up(
    client, staff, settings
):
    settings.STAFF_REQUIRE_2FA = True
    assert sign_in(client).status_code == 302
    for path in ("/admin/", "/admin/articles/article/", "/preview/1/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SETUP, path
    page = client.get(SETUP)
    assert "This site requires two-factor sign-in for staff" in text(page, "#content")
    pending = TOTPDevice.objects.get(user=staff)
    client.post(SETUP, {"action": "confirm", "otp_token": code_for(pending)})
    assert client.get("/admin/").status_code == 200
    # Signing out still works for anyone.
    assert client.post("/admin/logout/").status_code in (200, 302)


def test_a_session_without_the_code_cannot_replace_an_authenticator(client, staff, device):
    client.force_login(staff)  # signed in without a code (as before the device existed)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert SESSION_KEY not in client.session
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


def test_readers_are_never_asked(client, settings):
    settings.STAFF_REQUIRE_2FA = True
    reader = UserFactory(username="reader", is_staff=False)
    client.force_login(reader)
    assert client.get("/").status_code == 200
