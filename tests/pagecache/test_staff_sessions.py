"""Finding 9 (issue 11, cache part): any sessionid cookie, even a bogus one, bypassed the page
cache (and the nginx micro-cache). Only a valid session of signed-in staff does now."""

import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache

from pagecache.middleware import STAFF_COOKIE
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()


def test_finding_9_a_bogus_sessionid_gets_the_cached_page(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    client.cookies["sessionid"] = "no-such-session-just-a-flood"
    again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "public" in again["Cache-Control"]
    assert STAFF_COOKIE not in again.cookies


def test_finding_9_a_real_session_without_a_signed_in_user_gets_the_cached_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    session = SessionStore()
    session["something"] = "not a sign-in"
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_signed_in_reader_who_is_not_staff_gets_a_fresh_private_page(client):
    # Issue 16: a reader's page names them ("Commenting as …"), so it is theirs alone, as
    # staff pages are (finding 9 once had readers' sessions share the cached page).
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.force_login(UserFactory(is_staff=False))
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response and "private" in response["Cache-Control"]


def test_finding_9_a_forged_messages_cookie_gets_the_cached_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.cookies[CookieStorage.cookie_name] = "forged"
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_finding_9_signed_in_staff_get_a_fresh_page_and_the_marker_nginx_bypasses_on(
    client, editor
):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response.cookies[STAFF_COOKIE].value == "1"
    assert response.cookies[STAFF_COOKIE]["httponly"]
    page = client.get(article.get_absolute_url())
    assert not page.has_header("X-Page-Cache")
    assert "private" in page["Cache-Control"]

    out = client.post("/admin/logout/")
    assert out.cookies[STAFF_COOKIE].value == ""  # cleared
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_finding_9_a_forged_staff_marker_is_cleared_and_still_gets_the_cached_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.cookies[STAFF_COOKIE] = "1"
    client.cookies["sessionid"] = "bogus"
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert response.cookies[STAFF_COOKIE].value == ""


def test_staff_who_lost_the_marker_get_it_back(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.cookies[STAFF_COOKIE].value == "1"
    client.cookies[STAFF_COOKIE] = "1"
    assert STAFF_COOKIE not in client.get("/admin/").cookies  # set once, not on every page


def test_a_page_whose_template_used_the_nonce_is_never_shared_by_a_cache(rf, settings):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from pagecache.middleware import AnonymousPageCacheMiddleware

    settings.PAGE_CACHE = True
    cache.clear()

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    stack = CSPMiddleware(AnonymousPageCacheMiddleware(view))
    first, second = stack(rf.get("/nonce/")), stack(rf.get("/nonce/"))
    nonces = [re.search(r'nonce="([^"]+)"', r.content.decode())[1] for r in (first, second)]
    assert nonces[0] != nonces[1]
    for response, nonce in zip((first, second), nonces, strict=True):
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert "private" in response["Cache-Control"]
        assert not response.has_header("X-Page-Cache")
