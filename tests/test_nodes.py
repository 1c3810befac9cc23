"""Two app nodes behind the shipped nginx (issue 15): two gunicorn processes started as a deploy
starts them (gunicorn.conf.py, DEBUG=0), sharing one PostgreSQL and one Redis, each with its own
files (media, content-version file), and deploy/nginx.conf with both as its upstream.

`make two-nodes` runs this file on PostgreSQL. SQLite is one file on one machine: several nodes
are a PostgreSQL setup only.
"""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.models import Article, SiteSettings
from comments.models import Comment, Like
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory
from tests.nginx import Nginx, require_nginx
from tests.smtp import free_port
from tests.subscriptions.worker import database_url, wait_until

PASSWORD = "correct horse battery staple"
COMMENTS_PER_MINUTE = 4
# Which node answered each request: nginx's $upstream_addr (two addresses when it retried).
ACCESS_LOG = "$upstream_addr|$status|$request_method|$request_uri"


pytestmark = pytest.mark.django_db(transaction=True)


class Node:
    """One app server: gunicorn with gunicorn.conf.py, two sync workers, its own process group."""

    def __init__(self, name, directory, env):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.address = f"127.0.0.1:{self.port}"
        self.directory = directory
        self.log = directory / f"{name}.log"
        self.env = {
            **env,
            "PORT": str(self.port),
            "MEDIA_ROOT": str(directory / f"media-{name}"),
            # Each node has its own file: the content version must be shared through Redis.
            "CONTENT_VERSION_FILE": str(directory / f"content-version-{name}"),
        }

    def start(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"],
                cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    def wait(self):
        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"node {self.name} exited: {self.log.read_text()[-3000:]}")
            try:
                return urllib.request.urlopen(self.url + "/healthz", timeout=2).status == 200
            except OSError:
                return False

        wait_until(answers, timeout=60, interval=0.1, message=f"node {self.name}")

    def workers(self):
        """The process ids of the master's workers."""
        children = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                children.add(int(stat.parent.name))
        return children

    def renew_workers(self):
        """Fresh workers, forked again from the master (SIGHUP, as a deploy reloads them): each
        test empties the database, which renumbers the content types that a Django process
        keeps in memory once it has looked them up. Returns a check that they have replaced
        the old ones."""
        old = self.workers()
        os.kill(self.process.pid, signal.SIGHUP)

        def renewed():
            workers = self.workers()
            return len(workers) == 2 and not workers & old

        return renewed

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        """Gone at once, workers and all, as when its machine fails: no graceful shutdown."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.alive():
            os.killpg(self.process.pid, signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture(scope="module")
def cluster(request, django_db_setup, tmp_path_factory):
    """Node A and node B on one database and one Redis, and nginx in front of both."""
    if connection.vendor != "postgresql":
        pytest.skip("several app nodes share a PostgreSQL database (SQLite is one machine's)")
    require_nginx()
    redis_server = request.getfixturevalue("redis_server")
    directory = tmp_path_factory.mktemp("nodes")
    proxy_port = free_port()
    site = f"http://127.0.0.1:{proxy_port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.node_settings",
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the tests sign comment forms with it too
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_server.url,
        "TASKS_BACKEND": "db",  # queued in the database; no worker is needed for these checks
        "PAGE_CACHE": "1",  # as deployed (the suite turns it off for itself)
        "TRUSTED_PROXY_COUNT": "1",
        "SERVE_MEDIA": "0",
        "GUNICORN_WORKERS": "2",
        "LIKES_RATE_LIMIT": "1000",
        "COMMENTS_RATE_LIMIT": str(COMMENTS_PER_MINUTE),
        "STATS_FLUSH_SECONDS": "0",
    }
    env.pop("EMAIL_HOST", None)
    nodes = [Node("a", directory, env).start(), Node("b", directory, env).start()]
    upstreams = [node.address for node in nodes]
    proxy = Nginx(directory, upstreams, access_log=ACCESS_LOG, port=proxy_port)
    try:
        for node in nodes:
            node.wait()
        yield {"a": nodes[0], "b": nodes[1], "nginx": proxy.start(), "redis": redis_server}
    finally:
        for node in nodes:
            node.stop()
        if hasattr(proxy, "process"):
            proxy.stop()


@pytest.fixture
def nodes(cluster):
    """Both nodes up with fresh workers (one test kills a node), an empty Redis, an empty
    access log."""
    cluster["redis"].flush()
    renewed = []
    for name in ("a", "b"):
        if cluster[name].alive():
            renewed.append(cluster[name].renew_workers())
        else:
            cluster[name].start()
    wait_until(lambda: all(check() for check in renewed), timeout=30, message="new workers")
    for name in ("a", "b"):
        cluster[name].wait()
    cluster["nginx"].access_log.write_text("")
    return cluster


def opener(jar=None):
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar if jar is not None else http.cookiejar.CookieJar()),
        NoRedirect,
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(browser, url, data=None, headers=None):
    """(status, headers, body) of one request; error statuses are answers too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with browser.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def sign_in(browser, node):
    _, _, form = send(browser, node.url + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    status, headers, _ = send(
        browser,
        node.url + "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD},
    )
    assert status == 302, "the sign-in was refused"


def csrf_token(jar):
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def served_by(nginx, method=None):
    """The node address that answered each request nginx passed on, from its access log."""
    answered = []
    for line in nginx.access_log.read_text().splitlines():
        upstream, status, line_method, uri = line.split("|", 3)
        if method in (None, line_method):
            answered.append((upstream, int(status), uri))
    return answered


def test_staff_signed_in_on_node_b_publish_through_node_a_and_b_retires_its_cached_pages_at_once(
    nodes, editor
):
    a, b = nodes["a"], nodes["b"]
    # A site that has served a page has its settings row; the very first page creates it, and
    # that save retires what was cached, the page being rendered included.
    SiteSettings.load()
    older = ArticleFactory(title="An article readers already know")
    draft = ArticleFactory(
        title="Walking after a disc injury", status=Article.Status.DRAFT, published_at=None
    )
    reader = opener()
    status, first, home = send(reader, b.url + "/")
    assert status == 200 and "An article readers already know" in home
    status, headers, home = send(reader, b.url + "/")
    assert headers["X-Page-Cache"] == "hit", (dict(first), dict(headers))
    # Changed behind every cache's back: node B keeps its page until something retires it.
    Article.objects.filter(pk=older.pk).update(title="A title only a fresh page shows")
    assert "A title only a fresh page shows" not in send(reader, b.url + "/")[2]

    # Signed in through node B, working through node A: one session store, one CSRF secret.
    jar = http.cookiejar.CookieJar()
    staff = opener(jar)
    sign_in(staff, b)
    status, _, dashboard = send(staff, a.url + "/admin/")
    assert status == 200 and "Write an article" in dashboard
    confirm = f"{a.url}/admin/articles/article/{draft.pk}/publish/publish/"
    assert send(staff, confirm)[0] == 200
    status, _, _ = send(staff, confirm, {"csrfmiddlewaretoken": csrf_token(jar), "_confirm": "x"})
    assert status == 302
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    # At once: the very next request to node B is rendered afresh, with the new article.
    status, headers, home = send(reader, b.url + "/")
    assert headers["X-Page-Cache"] == "miss"
    assert "Walking after a disc injury" in home
    assert "A title only a fresh page shows" in home

    # Signing out through node A signs out on node B too.
    status, _, _ = send(staff, a.url + "/admin/logout/", {"csrfmiddlewaretoken": csrf_token(jar)})
    assert status == 200
    assert send(staff, b.url + "/admin/")[0] == 302


def test_the_comment_rate_limit_counts_across_nodes(nodes):
    a, b = nodes["a"], nodes["b"]
    article = ArticleFactory(published_at=timezone.now() - timezone.timedelta(days=1))
    # One reader's address, as nginx (the one trusted proxy) would append it.
    headers = {"Origin": nodes["nginx"].url, "X-Forwarded-For": "203.0.113.9"}
    # The limit counts in fixed minutes: begin well inside one, so all posts fall in it.
    wait_until(lambda: time.time() % 60 < 50, timeout=15, message="the start of a minute")
    answers = []
    for n, node in enumerate([a, b, a, b, a, b]):
        data = comment_data(article, age=60, email=f"reader{n}@example.org", name=f"Reader {n}")
        answers.append(send(opener(), node.url + "/comments/post/", data, headers)[0])
    # Four a minute from one address, counted together: each node saw only three.
    assert [status == 429 for status in answers] == [False] * 4 + [True] * 2, answers
    assert Comment.objects.filter(object_pk=str(article.pk)).count() == COMMENTS_PER_MINUTE


def test_a_hundred_concurrent_likes_over_both_nodes_count_exactly_a_hundred(nodes):
    nginx = nodes["nginx"]
    article = ArticleFactory()
    url = nginx.url + article.get_absolute_url() + "like/"
    start = threading.Barrier(100)

    def like(_):
        browser = opener()  # a reader of their own: a new like cookie each
        start.wait(timeout=30)
        status, _, body = send(
            browser, url, {}, {"Origin": nginx.url, "Accept": "application/json"}
        )
        return status, json.loads(body)

    with ThreadPoolExecutor(max_workers=100) as pool:
        answers = list(pool.map(like, range(100)))
    assert [status for status, _ in answers] == [200] * 100
    assert Like.objects.filter(article=article).count() == 100
    assert max(answer["likes"] for _, answer in answers) == 100
    answered = {upstream for upstream, _, _ in served_by(nginx, "POST")}
    assert answered == {nodes["a"].address, nodes["b"].address}


def test_killing_a_node_mid_run_costs_no_request_beyond_those_in_flight(nodes):
    nginx, a, b = nodes["nginx"], nodes["a"], nodes["b"]
    article = ArticleFactory()
    readers = 4
    results, killed = [], threading.Event()
    done = threading.Event()
    counter = iter(range(10**9))

    def read():
        browser = opener()
        while not done.is_set():
            # A new address each time: past nginx's micro-cache, so a node answers every one.
            url = f"{nginx.url}{article.get_absolute_url()}?reader={next(counter)}"
            try:
                status = send(browser, url)[0]
            except OSError as error:
                status = repr(error)
            results.append((killed.is_set(), status))

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(results) >= 20, timeout=30, message="reads before the kill")
        b.kill()
        killed.set()
        wait_until(
            lambda: sum(after for after, _ in results) >= 20, timeout=30, message="reads after"
        )
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=30)
    failed = [status for _, status in results if status != 200]
    # At most the requests in flight at the kill; nginx passes a GET that failed on the dead
    # node to the other one, so in practice none.
    assert len(failed) <= readers, failed
    answered = served_by(nginx, "GET")
    assert {upstream for upstream, _, _ in answered[:20]} >= {a.address, b.address}
    # After the kill only node A answers ("b, a" when nginx tried the dead node first).
    assert answered[-1][0].split(", ")[-1] == a.address
