"""Signing in by an emailed code: accounts made on the way, the same answer for every address,
codes that expire and run out of tries, rate limits, staff kept out, secure sessions."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress

from tests.factories import UserFactory
from tests.readers.conftest import CSRF, code_in, make_reader

pytestmark = pytest.mark.django_db

SENT_PAGE = "/accounts/login/code/confirm/"


def signed_in_user(client):
    return client.get("/account/").wsgi_request.user


def test_a_new_address_gets_a_code_and_an_account_with_that_address_verified(
    client, ask_code, enter_code, mailoutbox
):
    response = ask_code("New.Reader@Example.org")
    assert response.status_code == 302 and response["Location"].startswith(SENT_PAGE)
    [mail] = mailoutbox
    assert mail.to == ["new.reader@example.org"]
    assert "Your sign-in code" in mail.subject
    page = client.get(SENT_PAGE)
    assert page.status_code == 200 and "Enter your code" in page.content.decode()

    response = enter_code(code_in(mail))
    assert response.status_code == 302 and response["Location"] == "/account/"
    user = signed_in_user(client)
    assert user.is_authenticated and not user.is_staff
    assert "new.reader" not in user.username  # never a piece of the address
    assert EmailAddress.objects.get(user=user).verified


def test_known_unknown_and_staff_addresses_get_the_same_answer(
    client_factory, ask_code, mailoutbox
):
    make_reader("known@example.org")
    UserFactory(username="nurse", email="staff@example.org")  # staff: signs in at the admin

    def answer(address):
        browser = client_factory()
        response = ask_code(address, browser=browser)
        page = browser.get(response["Location"]).content.decode().replace(address, "ADDRESS")
        page = CSRF.sub("", page)  # each browser's own token
        return response.status_code, response["Location"], page

    known, unknown, staff = (
        answer(a) for a in ("known@example.org", "nobody@example.org", "staff@example.org")
    )
    assert known == unknown == staff
    # A code goes to the reader and to the new address; the staff address gets no mail at all.
    assert sorted(m.to[0] for m in mailoutbox) == ["known@example.org", "nobody@example.org"]


def test_staff_never_sign_in_here_even_with_an_account_address(client, ask_code, mailoutbox):
    staff = UserFactory(username="editor2", email="ed@example.org")
    EmailAddress.objects.create(user=staff, email="ed@example.org", verified=True, primary=True)
    ask_code("ed@example.org")
    assert mailoutbox == []
    assert not signed_in_user(client).is_authenticated


def test_a_code_expires(client, ask_code, enter_code, mailoutbox, settings):
    ask_code("late@example.org")
    code = code_in(mailoutbox[0])
    later = datetime.timedelta(seconds=settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 5)
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + later):
        response = enter_code(code)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert not signed_in_user(client).is_authenticated


def test_a_code_allows_only_a_few_wrong_tries(client, ask_code, enter_code, mailoutbox, settings):
    ask_code("guess@example.org")
    code = code_in(mailoutbox[0])
    for _ in range(settings.ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS - 1):
        wrong = enter_code("WRONG1")
        assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    assert enter_code("WRONG1")["Location"] == "/accounts/login/code/"  # the last try ends it
    assert enter_code(code).status_code == 302
    assert not signed_in_user(client).is_authenticated


def test_asking_for_codes_is_rate_limited_per_address_and_per_ip(
    client_factory, ask_code, mailoutbox, settings
):
    for _ in range(3):
        assert ask_code("flood@example.org", browser=client_factory()).status_code == 302
    refused = ask_code("flood@example.org", browser=client_factory())
    assert refused.status_code == 200 and "Too many" in refused.content.decode()
    assert len(mailoutbox) == 3

    per_ip = int(settings.ACCOUNT_RATE_LIMITS["request_login_code"].split("/")[0])
    answers = [
        ask_code(f"ip{n}@example.org", browser=client_factory()).status_code for n in range(per_ip)
    ]
    # The four requests above counted for this IP too.
    assert answers == [302] * (per_ip - 4) + [200] * 4
    assert len(mailoutbox) == 3 + per_ip - 4


def test_the_session_of_a_code_sign_in_is_secure_and_httponly_under_https(
    client, ask_code, enter_code, mailoutbox, settings
):
    settings.SESSION_COOKIE_SECURE = True  # what an https SITE_URL sets (backstory/settings.py)
    ask_code("tls@example.org", secure=True)
    response = client.post(SENT_PAGE, {"code": code_in(mailoutbox[0])}, secure=True)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["secure"] and cookie["httponly"]


def test_accounts_whose_code_was_never_entered_are_purged(ask_code, reader, settings):
    from readers.accounts import purge_never_used

    ask_code("typed-by-someone@example.org")
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(
        hours=settings.READERS_UNUSED_HOURS + 1
    )
    assert purge_never_used(later) == 1
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [reader.email]
