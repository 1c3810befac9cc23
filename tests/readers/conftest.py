import re

import pytest
from allauth.account.models import EmailAddress

from tests.factories import UserFactory

CODE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def code_in(message):
    """The sign-in code of a mail (django.core.mail's EmailMessage or an email.message)."""
    body = getattr(message, "body", None)
    if body is None:
        body = message.get_body(preferencelist=("plain",)).get_content()
    return CODE.search(body).group(1)


def make_reader(email="robin@example.org", name="Robin Reader"):
    first, _, last = name.partition(" ")
    user = UserFactory(username=f"reader-{email.split('@')[0]}", email=email,
                       first_name=first, last_name=last, is_staff=False)  # fmt: skip
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@pytest.fixture
def reader(db):
    return make_reader()


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def ask_code(client, django_capture_on_commit_callbacks):
    """POST an address to the sign-in page as a browser would; mail queued after commit goes."""

    def ask(email, browser=None, **extra):
        browser = browser or client
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post("/accounts/login/", {"email": email}, **extra)

    return ask


@pytest.fixture
def enter_code(client):
    def enter(code, browser=None):
        browser = browser or client
        return browser.post("/accounts/login/code/confirm/", {"code": code})

    return enter


@pytest.fixture
def client_factory(db):
    """A fresh browser each call (its own cookies)."""
    from django.test import Client

    return Client
