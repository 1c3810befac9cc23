"""Signing in with a WordPress.com account (readers/wordpress_com), against a stand-in for
WordPress.com's OAuth2 and /me endpoints on loopback: the real service cannot be reached here."""

import http.server
import json
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site

from tests.pages import one
from tests.readers.conftest import make_reader

pytestmark = pytest.mark.django_db


class FakeWordPressCom:
    """The token endpoint (one client, one code) and /rest/v1/me for one person."""

    def __init__(self, person):
        self.person, self.asked = person, []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                fake.asked.append(("token", {k: v[0] for k, v in form.items()}))
                good = form.get("code") == ["the-code"] and form.get("client_secret") == ["sec"]
                body = {"access_token": "the-token", "token_type": "bearer"} if good else {}
                self.answer(200 if good else 400, body)

            def do_GET(self):
                fake.asked.append(("me", self.headers.get("Authorization")))
                if urlsplit(self.path).path != "/rest/v1/me":
                    return self.answer(404, {})
                good = self.headers.get("Authorization") == "Bearer the-token"
                self.answer(200 if good else 403, fake.person if good else {})

            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def person(email="robin@example.org", verified=True):
    return {"ID": 4242, "display_name": "Robin Reader", "username": "robin42", "email": email,
            "email_verified": verified, "profile_URL": "https://gravatar.com/robin42"}  # fmt: skip


@pytest.fixture
def wordpress_com(settings):
    fakes = []

    def start(**kwargs):
        fake = FakeWordPressCom(person(**kwargs))
        fakes.append(fake)
        settings.SOCIALACCOUNT_PROVIDERS = {"wordpress_com": {"API_URL": fake.url}}
        app = SocialApp.objects.create(
            provider="wordpress_com", name="WordPress.com", client_id="cid", secret="sec"
        )
        app.sites.add(Site.objects.get_current())
        return fake

    yield start
    for fake in fakes:
        fake.close()


def sign_in(client, fake):
    """Press the button, come back from WordPress.com with a code, as a browser would."""
    sent = client.post("/accounts/wordpress_com/login/")
    assert sent.status_code == 302
    to = urlsplit(sent["Location"])
    assert f"{to.scheme}://{to.netloc}{to.path}" == f"{fake.url}/oauth2/authorize"
    query = parse_qs(to.query)
    assert query["client_id"] == ["cid"] and query["scope"] == ["auth"]
    state = query["state"][0]
    return client.get(
        "/accounts/wordpress_com/login/callback/", {"code": "the-code", "state": state}
    )


def test_the_button_shows_once_staff_add_the_app_and_the_policy_allows_only_its_host(
    client, wordpress_com
):
    assert client.get("/accounts/login/").content.count(b"WordPress.com") == 0
    fake = wordpress_com()
    page = client.get("/accounts/login/")
    button = one(page, "form[action^='/accounts/wordpress_com/login/'] button")
    assert button.get_text(strip=True) == "Continue with WordPress.com"
    assert f"form-action 'self' {fake.url}" in page["Content-Security-Policy"]


def test_a_reader_signs_in_with_wordpress_com_and_its_verified_address(client, wordpress_com):
    fake = wordpress_com()
    back = sign_in(client, fake)

    assert back.status_code == 302
    account = SocialAccount.objects.get(provider="wordpress_com", uid="4242")
    assert account.user.email == "robin@example.org"
    assert account.user.emailaddress_set.get().verified
    assert client.get("/account/").status_code == 200
    assert ("me", "Bearer the-token") in fake.asked


def test_an_unverified_wordpress_com_address_never_opens_someone_elses_account(
    client, wordpress_com
):
    existing = make_reader(email="robin@example.org")
    fake = wordpress_com(verified=False)
    back = sign_in(client, fake)

    # Not signed in as the address's owner, nor linked to them: allauth asks for an address of
    # their own instead (its third-party sign-up step).
    assert back.status_code == 302 and back["Location"] == "/accounts/3rdparty/signup/"
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    assert list(get_user_model().objects.values_list("pk", flat=True)) == [existing.pk]
