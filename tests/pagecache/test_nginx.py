"""Finding 9 (issue 11) through the shipped nginx: deploy/nginx.conf, started as bench/web.py
starts it (on free ports), in front of the test server. A bogus sessionid used to bypass the
micro-cache; only the application's staff marker does now."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.nginx import Nginx, require_nginx

PASSWORD = "correct horse battery staple"


@pytest.fixture
def nginx(live_server, tmp_path):
    require_nginx()
    server = Nginx(tmp_path, [urlsplit(live_server.url).netloc]).start()
    yield server.url
    server.stop()


def fetch(opener, url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with opener.open(request, timeout=15) as response:
        return response.headers, response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_finding_9_through_nginx_a_bogus_sessionid_gets_the_cached_page_and_staff_a_fresh_one(
    nginx, settings
):
    settings.PAGE_CACHE = True
    UserFactory(username="editor", groups=["Editors"])
    article = ArticleFactory(title="The title readers saw first")
    url = nginx + article.get_absolute_url()
    anonymous = urllib.request.build_opener()
    assert fetch(anonymous, url)[0]["X-Cache-Status"] == "MISS"
    assert fetch(anonymous, url)[0]["X-Cache-Status"] == "HIT"

    # Changed behind every cache's back: only a page built now shows it.
    Article.objects.filter(pk=article.pk).update(title="A title only a fresh page shows")
    headers, html = fetch(anonymous, url, headers={"Cookie": "sessionid=bogus-flood-value"})
    assert headers["X-Cache-Status"] == "HIT"
    assert "The title readers saw first" in html

    # A real staff sign-in, through nginx.
    jar = http.cookiejar.CookieJar()
    staff = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    _, form = fetch(staff, nginx + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD, "next": "/"}
    ).encode()
    with pytest.raises(urllib.error.HTTPError) as signed_in:  # the 302 after signing in
        fetch(staff, nginx + "/admin/login/", data=data)
    assert signed_in.value.code == 302
    assert {cookie.name for cookie in jar} >= {"sessionid", "bs_staff"}
    headers, html = fetch(staff, url)
    assert headers["X-Cache-Status"] == "BYPASS"
    assert "A title only a fresh page shows" in html
    assert "private" in headers["Cache-Control"]
