"""Finding 5 (issue 11): 50 wrong admin passwords in 26 s, no lockout, and the right one worked
straight after. Now django-axes locks the username and the client IP out."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY

from tests.factories import UserFactory
from tests.pages import text, texts

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.fixture
def staff(db):
    return UserFactory(username="surgeon", is_superuser=True)


def test_finding_5_wrong_passwords_lock_the_account_and_the_right_one_is_refused(
    client, staff, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "surgeon", "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = sign_in(client, "surgeon", "wrong")
    assert locked.status_code == 429
    page = text(locked, "#content")
    assert "Sign-in locked" in page
    assert f"paused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    assert locked["Retry-After"] == str(settings.AXES_COOLOFF_TIME.seconds)

    right = sign_in(client, "surgeon", PASSWORD)
    assert right.status_code == 429
    assert SESSION_KEY not in client.session


def test_finding_5_the_lockout_holds_for_the_username_from_any_address(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(type(client)(), "surgeon", "wrong", REMOTE_ADDR=f"198.51.100.{n}")
    elsewhere = type(client)()
    assert sign_in(elsewhere, "surgeon", PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 429


def test_finding_5_one_address_guessing_many_usernames_is_locked_out(client, staff, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong")
    assert sign_in(client, "surgeon", PASSWORD).status_code == 429
    # Someone else, elsewhere, still signs in.
    other = type(client)()
    assert sign_in(other, "surgeon", PASSWORD, REMOTE_ADDR="192.0.2.50").status_code == 302


def test_finding_5_the_address_is_guards_so_a_forged_x_forwarded_for_changes_nothing(
    client, staff, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"127.0.0.1"}
    assert sign_in(client, "surgeon", PASSWORD).status_code == 429


def test_finding_5_behind_a_trusted_proxy_each_client_is_counted_apart(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert sign_in(client, "surgeon", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == (
        429
    )
    response = sign_in(type(client)(), "surgeon", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert response.status_code == 302


def test_finding_5_an_administrator_unlocks_an_account_in_the_admin(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "surgeon", "wrong")
    assert sign_in(client, "surgeon", PASSWORD).status_code == 429

    colleague = UserFactory(username="manager", is_superuser=True)
    admin_browser = type(client)()
    admin_browser.force_login(colleague)
    listing = admin_browser.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    rows = texts(listing, "#result_list tbody tr")
    assert [row for row in rows if "surgeon" in row and "Locked Out" in row]
    [attempt] = AccessAttempt.objects.filter(username="surgeon")
    response = admin_browser.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="surgeon").exists()

    assert sign_in(client, "surgeon", PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(staff.pk)


def test_a_successful_sign_in_starts_the_count_again(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "surgeon", "wrong")
    assert sign_in(client, "surgeon", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "surgeon", "wrong")
    assert sign_in(client, "surgeon", PASSWORD).status_code == 302
