import re
from datetime import timedelta

import pytest
from django.test import Client
from pytest_django.asserts import assertInHTML

from guard.models import RateLimitCounter
from subscriptions.models import Follower, Suppression
from tests.pages import attrs, nowhere, one, select, text
from tests.smtp import body_html, body_text
from tests.subscriptions.conftest import run_queued_tasks
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
CONFIRM_LINK = re.compile(r"http://127\.0\.0\.1:8000(/subscribe/confirm/[^/\s]+/)")


def subscribe(client, email, **headers):
    headers.setdefault("HTTP_ORIGIN", ORIGIN)
    return client.post("/subscribe/", {"email": email}, **headers)


def confirmation_path(message):
    match = CONFIRM_LINK.search(body_text(message))
    assert match, body_text(message)
    return match.group(1)


def test_the_sidebar_has_a_follow_form_that_works_without_javascript(client, article):
    form = one(client.get("/"), "form.follow-form")
    assert (form["method"], form["action"]) == ("post", "/subscribe/")
    assertInHTML('<label for="follow-email">Email address</label>', str(form))
    field = form.select_one("#follow-email")
    assert (field.name, field["type"], field["name"]) == ("input", "email", "email")
    # Pages will be cached for anonymous readers: no per-reader token in the form.
    assert nowhere(form, "csrfmiddlewaretoken")


def test_subscribing_mails_a_confirmation_link_and_nothing_else_happens(
    client, smtp_server, committed
):
    with committed():
        response = subscribe(client, "patient@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/subscribe/sent/"
    page = client.get(response["Location"])
    assert "Check your inbox" in text(page, "main")

    follower = Follower.objects.get()
    assert (follower.email, follower.status) == ("patient@example.com", Follower.Status.PENDING)
    [message] = smtp_server.to("patient@example.com")
    assert "confirm" in message["Subject"].lower()
    path = confirmation_path(message)
    assert "patient" not in path and "example.com" not in path
    assert f"http://127.0.0.1:8000{path}" in attrs(body_html(message), "a", "href")
    assert message.get_content_type() == "multipart/alternative"


def test_the_confirmation_link_opens_a_page_whose_button_confirms(client, smtp_server, committed):
    with committed():
        subscribe(client, "patient@example.com")
    path = confirmation_path(smtp_server.to("patient@example.com")[0])

    # A mail scanner that opens the link confirms nothing.
    page = client.get(path)
    assert page.status_code == 200
    [form] = select(page, "main form")
    assert (form["method"], form["action"]) == ("post", path)
    assert Follower.objects.get().status == Follower.Status.PENDING

    done = Client().post(path)  # no session, no CSRF cookie: the token is what counts
    assert done.status_code == 200
    assert "You’re following" in text(done, "main")
    follower = Follower.objects.get()
    assert follower.status == Follower.Status.ACTIVE
    assert follower.confirmed_at is not None
    assert "confirmed with the link mailed to this address" in follower.consent_note


def test_addresses_are_normalised_and_unique_whatever_their_case(client, smtp_server, committed):
    with committed():
        subscribe(client, "  Patient@Example.COM ")
        subscribe(client, "PATIENT@example.com")
    assert list(Follower.objects.values_list("email", flat=True)) == ["patient@example.com"]
    # The second request came straight after the first: one confirmation mail, not two.
    assert len(smtp_server.messages) == 1


def test_following_again_says_check_your_inbox_and_reveals_nothing(client, smtp_server, committed):
    FollowerFactory(email="already@example.com")
    with committed():
        known = subscribe(client, "already@example.com")
        new = subscribe(client, "new@example.com")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert Follower.objects.filter(email="already@example.com").get().is_active
    assert smtp_server.to("already@example.com") == []
    assert Follower.objects.count() == 2


def test_an_unsubscribed_address_can_follow_again_through_a_new_opt_in(
    client, smtp_server, committed
):
    FollowerFactory(email="back@example.com", status=Follower.Status.UNSUBSCRIBED)
    Suppression.record("back@example.com", Suppression.Reason.UNSUBSCRIBED)
    with committed():
        subscribe(client, "back@example.com")
    follower = Follower.objects.get(email="back@example.com")
    assert follower.status == Follower.Status.PENDING
    # Still suppressed until the owner of the address confirms.
    assert Suppression.is_suppressed("back@example.com")

    client.post(confirmation_path(smtp_server.to("back@example.com")[0]))
    follower.refresh_from_db()
    assert follower.status == Follower.Status.ACTIVE
    assert not Suppression.is_suppressed("back@example.com")


@pytest.mark.parametrize("typed", ["", "not-an-email", "patient@", "two@at@example.com"])
def test_an_invalid_address_gets_a_clear_message(client, smtp_server, committed, typed):
    with committed():
        response = subscribe(client, typed)
    assert response.status_code == 200
    said = text(response, "main")
    assert "Enter your email address." in said or "doesn’t look like an email address" in said
    assert attrs(response, 'input[name="email"]', "aria-invalid") == ["true"]
    assert not Follower.objects.exists()
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page/"},
        {},
    ],
    ids=["foreign origin", "opaque origin", "foreign referer", "neither"],
)
def test_a_post_that_did_not_come_from_our_pages_is_refused(client, headers):
    response = client.post("/subscribe/", {"email": "victim@example.com"}, **headers)
    assert response.status_code == 403
    assert "Please use the form on this site" in text(response, "main")
    assert not Follower.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://127.0.0.1:8000"},  # SITE_URL
        {"HTTP_REFERER": "http://testserver/2026/01/02/some-article/"},
    ],
    ids=["same origin", "site url", "referer only"],
)
def test_a_post_from_our_own_pages_is_accepted(client, headers, committed):
    with committed():
        response = client.post("/subscribe/", {"email": "reader@example.com"}, **headers)
    assert response.status_code == 302
    assert Follower.objects.filter(email="reader@example.com").exists()


@pytest.mark.usefixtures("steady_rate_window")
def test_subscribing_is_rate_limited_per_ip(client, settings, committed):
    settings.SUBSCRIPTIONS_RATE_LIMIT = 3
    with committed():
        for n in range(3):
            assert (
                subscribe(client, f"a{n}@example.com", REMOTE_ADDR="198.51.100.7").status_code
                == 302
            )
        refused = subscribe(client, "a3@example.com", REMOTE_ADDR="198.51.100.7")
        other = subscribe(client, "b@example.com", REMOTE_ADDR="198.51.100.8")
    assert refused.status_code == 429
    assert "Too many requests" in text(refused, "main")
    assert other.status_code == 302
    assert not Follower.objects.filter(email="a3@example.com").exists()
    # Counted in the database, shared by every process; no raw address is stored.
    assert RateLimitCounter.objects.count() == 2
    assert not RateLimitCounter.objects.filter(key__contains="198.51").exists()


@pytest.mark.usefixtures("steady_rate_window")
def test_behind_a_trusted_proxy_the_limit_follows_the_forwarded_client(client, settings, committed):
    settings.SUBSCRIPTIONS_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    with committed():
        statuses = [
            subscribe(
                client,
                f"p{n}@example.com",
                REMOTE_ADDR="127.0.0.1",  # the proxy
                # The client may write anything on the left; the proxy appends the real address.
                HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.5",
            ).status_code
            for n in range(3)
        ]
        another = subscribe(
            client, "q@example.com", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6"
        )
    assert statuses == [302, 302, 429]
    assert another.status_code == 302


@pytest.mark.usefixtures("steady_rate_window")
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, settings, committed):
    settings.SUBSCRIPTIONS_RATE_LIMIT = 1
    with committed():
        first = subscribe(client, "x@example.com", HTTP_X_FORWARDED_FOR="10.0.0.1")
        second = subscribe(client, "y@example.com", HTTP_X_FORWARDED_FOR="10.0.0.2")
    assert (first.status_code, second.status_code) == (302, 429)


@pytest.mark.usefixtures("steady_rate_window")
def test_with_redis_the_limit_is_counted_in_the_shared_cache(client, settings, committed):
    settings.REDIS_URL = "redis://cache.invalid:6379/0"  # the cache itself stays local here
    settings.SUBSCRIPTIONS_RATE_LIMIT = 1
    with committed():
        first = subscribe(client, "x@example.com")
        second = subscribe(client, "y@example.com")
    assert (first.status_code, second.status_code) == (302, 429)
    assert not RateLimitCounter.objects.exists()


def test_an_expired_confirmation_link_says_so(client, smtp_server, committed, clock, settings):
    with committed():
        subscribe(client, "late@example.com")
    path = confirmation_path(smtp_server.to("late@example.com")[0])
    clock.shift(timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_DAYS, minutes=1))
    response = client.post(path)
    assert response.status_code == 410
    assert "This confirmation link has expired" in text(response, "main")
    assert Follower.objects.get().status == Follower.Status.PENDING


def test_a_tampered_link_is_refused(client, smtp_server, committed):
    with committed():
        subscribe(client, "patient@example.com")
    path = confirmation_path(smtp_server.to("patient@example.com")[0])
    response = client.post(path.replace("/subscribe/confirm/", "/subscribe/confirm/x"))
    assert response.status_code == 404
    assert "This link doesn’t work" in text(response, "main")
    assert Follower.objects.get().status == Follower.Status.PENDING


def test_a_confirmation_link_is_dead_once_the_address_unsubscribed(client, smtp_server, committed):
    with committed():
        subscribe(client, "patient@example.com")
    path = confirmation_path(smtp_server.to("patient@example.com")[0])
    Follower.objects.update(status=Follower.Status.UNSUBSCRIBED)
    response = client.post(path)
    assert response.status_code == 410
    assert Follower.objects.get().status == Follower.Status.UNSUBSCRIBED


def test_a_confirmation_mail_that_cannot_be_sent_is_retried_then_the_form_works_again(
    client, smtp_server, committed, db_tasks, clock
):
    smtp_server.down = True
    with committed():
        subscribe(client, "patient@example.com")
    for _ in range(3):
        run_queued_tasks()
        clock.shift(timedelta(minutes=5))
    assert smtp_server.messages == []
    assert Follower.objects.get().confirmation_sent_at is None

    smtp_server.down = False
    with committed():
        subscribe(client, "patient@example.com")
    run_queued_tasks()
    assert len(smtp_server.to("patient@example.com")) == 1
