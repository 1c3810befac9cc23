"""Finding 9 (issue 11) through the shipped nginx: deploy/nginx.conf, started as bench/web.py
starts it (on free ports), in front of the test server. A bogus sessionid used to bypass the
micro-cache; only the application's staff marker does now."""

import getpass
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.smtp import free_port

PASSWORD = "correct horse battery staple"


@pytest.fixture
def nginx(live_server, tmp_path):
    if not shutil.which("nginx"):
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: CI must install it (apt-get install nginx).")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    port = free_port()
    block = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    block = block.replace("/var/cache/nginx/backstory", str(tmp_path / "cache"))
    block = block.replace("127.0.0.1:8000", urlsplit(live_server.url).netloc)
    block = block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    block = block.replace("/srv/backstory/", f"{tmp_path}/")
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
daemon off;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
{block}
}}
"""
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"nginx did not start: {(tmp_path / 'error.log').read_text()}")
            time.sleep(0.1)
    yield base
    process.send_signal(signal.SIGQUIT)
    process.wait(timeout=30)


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
