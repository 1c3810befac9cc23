"""Finding 8 (issue 11): no Content-Security-Policy or Permissions-Policy, HSTS defaulting to an
hour, and X-Forwarded-Proto believed from a client even with TRUSTED_PROXY_COUNT=0."""

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_finding_8_pages_are_sent_with_an_enforced_content_security_policy(client, settings):
    settings.PAGE_CACHE = True
    cache.clear()
    article = ArticleFactory()
    staff = type(client)()
    staff.force_login(UserFactory(is_superuser=True))
    responses = [
        client.get("/"),
        client.get(article.get_absolute_url()),
        client.get(article.get_absolute_url()),  # from the page cache
        client.get("/admin/login/"),
        staff.get("/admin/"),
        staff.get(f"/admin/articles/article/{article.pk}/change/"),
    ]
    assert responses[2]["X-Page-Cache"] == "hit"
    for response in responses:
        assert not response.has_header("Content-Security-Policy-Report-Only")
        directives = policy(response)
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        for kind in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in directives[kind]
            assert "'unsafe-eval'" not in directives[kind]
            assert directives[kind][0] == "'self'"


def test_finding_8_public_pages_carry_no_inline_script_or_style(client):
    article = ArticleFactory()
    from tests.comments.conftest import approved_comment

    approved_comment(article, user_name="Ana Reader")
    for url in ("/", article.get_absolute_url(), f"/category/{article.category.slug}/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert not soup.select("[style]"), url
        assert not soup.select("style"), url
        for script in soup.select("script"):
            # Only external files, and JSON-LD data (never executed, so CSP does not apply).
            assert script.get("src") or script.get("type") == "application/ld+json", url
        assert not [
            tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)
        ]


def test_finding_8_the_500_page_styles_itself_with_this_responses_nonce(client, settings):
    settings.ROOT_URLCONF = "tests.guard.urls_boom"
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.select("[style]")
    nonce = soup.select_one("style")["nonce"]
    assert f"'nonce-{nonce}'" in policy(response)["style-src"]


def test_finding_8_permissions_policy_denies_camera_microphone_geolocation_and_cohorts(client):
    for url in ("/", "/admin/login/", "/healthz"):
        header = client.get(url)["Permissions-Policy"]
        features = dict(item.strip().split("=") for item in header.split(","))
        for feature in ("camera", "microphone", "geolocation", "interest-cohort"):
            assert features[feature] == "()", url


def production(code, **env):
    """Run `code` after django.setup() with production settings and the given environment."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "TRUSTED_PROXY_COUNT"}
    }
    clean.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        SITE_URL="https://blog.example.org",
        ALLOWED_HOSTS="blog.example.org",
        DATABASE_URL="sqlite:///:memory:",
        DJANGO_SETTINGS_MODULE="backstory.settings",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_finding_8_hsts_defaults_to_one_year_behind_https():
    code = (
        "from django.test import Client\n"
        "r = Client().get('/healthz', secure=True, HTTP_HOST='blog.example.org')\n"
        "print(r.status_code, r['Strict-Transport-Security'].replace(' ', ''))"
    )
    assert production(code) == ["200", "max-age=31536000"]


def test_finding_8_x_forwarded_proto_is_believed_only_behind_trusted_proxies():
    code = (
        "from django.http import HttpResponse\n"
        "from django.middleware.security import SecurityMiddleware\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().get('/2024/', HTTP_HOST='blog.example.org',"
        " HTTP_X_FORWARDED_PROTO='https')\n"
        "r = SecurityMiddleware(lambda request: HttpResponse('page'))(request)\n"
        "print(request.is_secure(), r.status_code, r.get('Location', '-'),"
        " r.has_header('Strict-Transport-Security'))"
    )
    # No proxy of ours in front: the header is a client's claim, so the plain-HTTP request is
    # redirected to HTTPS and gets no HSTS, as if the header were not there.
    assert production(code, TRUSTED_PROXY_COUNT="0") == [
        "False", "301", "https://blog.example.org/2024/", "False",
    ]  # fmt: skip
    # Behind our nginx, which sets it, the request was HTTPS.
    assert production(code, TRUSTED_PROXY_COUNT="1") == ["True", "200", "-", "True"]


def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(client, settings):
    from csp.utils import build_policy

    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    changed = client.get(article.get_absolute_url())
    assert policy(changed)["img-src"] == ["'self'"]
    assert changed["Content-Security-Policy"] != first["Content-Security-Policy"]


def test_a_response_that_used_a_nonce_gets_a_header_naming_that_nonce(client, settings):
    settings.ROOT_URLCONF = "tests.guard.urls_boom"
    client.raise_request_exception = False
    nonces = set()
    for _ in range(2):
        response = client.get("/boom/")
        nonce = BeautifulSoup(response.content, "html.parser").select_one("style")["nonce"]
        assert f"'nonce-{nonce}'" in policy(response)["style-src"]
        nonces.add(nonce)
    assert len(nonces) == 2
