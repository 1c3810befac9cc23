"""Counting never costs a database write per view, and stays exact across processes."""

import os
import re
import signal
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats import batches, counting, days
from stats.models import ArticleDay, FlushedBatch, ReferrerDay, SearchDay
from tests.factories import ArticleFactory
from tests.smtp import free_port
from tests.subscriptions.worker import database_url, wait_until

from .conftest import CHROME, SAFARI, send_beacon, use_redis

pytestmark = pytest.mark.django_db


def test_a_view_is_counted_without_a_database_query(client, django_assert_num_queries, any_store):
    article = ArticleFactory()
    send_beacon(client, {"a": article.pk})  # the day's salt, and whether the article is public
    with django_assert_num_queries(0):
        for n in range(20):
            assert send_beacon(client, {"a": article.pk}, ip=f"198.51.100.{n}").status_code == 204
        send_beacon(client, {"q": "neck pain", "f": "0"})
    assert not ArticleDay.objects.exists()


def test_a_thousand_views_are_written_in_a_few_statements(client, any_store):
    articles = ArticleFactory.create_batch(3)
    for n in range(1000):
        fields = {"a": articles[n % 3].pk, "r": f"site{n % 7}.example"}
        if n % 10 == 0:
            fields["m"] = "1"
        send_beacon(client, fields, ip=f"10.1.{n // 250}.{n % 250}")
    for n in range(50):
        send_beacon(client, {"q": f"term {n % 5}", "f": "0"})

    with CaptureQueriesContext(connection) as queries:
        assert counting.flush() == 1050
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    writes = [sql for sql in statements if sql.startswith("INSERT")]
    # Articles, referrers, searches; plus the batch's marker with Redis, or without Redis the
    # readers' hashes (500 a statement); and one query for the articles that still exist.
    assert len(writes) == 3 + (1 if any_store == "redis" else 2), [sql[:60] for sql in writes]
    assert len(statements) == len(writes) + 1
    assert sorted(ArticleDay.objects.values_list("views", "readers", "mail_views")) == [
        (333, 333, 33),
        (333, 333, 33),
        (334, 334, 34),
    ]
    assert sum(ReferrerDay.objects.values_list("views", flat=True)) == 1000
    assert ReferrerDay.objects.count() == 21
    assert list(SearchDay.objects.values_list("searches", "empty").distinct()) == [(10, 10)]


def test_a_full_buffer_is_written_at_once(client, settings):
    settings.STATS_FLUSH_MAX_HITS = 5
    article = ArticleFactory()
    for n in range(4):
        send_beacon(client, {"a": article.pk}, ip=f"198.51.100.{n}")
    assert not ArticleDay.objects.exists()
    send_beacon(client, {"a": article.pk}, ip="198.51.100.99")
    assert ArticleDay.objects.get().views == 5


def test_a_batch_that_could_not_be_written_is_kept_for_the_next_flush(client, monkeypatch):
    article = ArticleFactory()
    send_beacon(client, {"a": article.pk})

    def broken(batch):
        raise RuntimeError("database went away")

    monkeypatch.setattr(counting, "apply", broken)
    with pytest.raises(RuntimeError):
        counting.flush()
    monkeypatch.setattr(counting, "apply", batches.apply)
    send_beacon(client, {"a": article.pk}, ip="198.51.100.2")
    assert counting.flush() == 2
    assert ArticleDay.objects.get().views == 2


def test_an_article_deleted_before_the_flush_takes_its_views_with_it(client):
    kept, deleted = ArticleFactory(), ArticleFactory()
    send_beacon(client, {"a": kept.pk})
    send_beacon(client, {"a": deleted.pk, "r": "example.org"})
    deleted.delete()
    counting.flush()
    assert list(ArticleDay.objects.values_list("article", "views")) == [(kept.pk, 1)]


def test_with_redis_two_processes_share_one_count_and_a_batch_is_written_once(
    client, settings, monkeypatch
):
    use_redis(settings)
    try:
        article = ArticleFactory()
        send_beacon(client, {"a": article.pk})
        # Another process: its own connection to Redis, its own memory.
        other = counting.RedisStore(settings.REDIS_URL, settings.STATS_REDIS_PREFIX)
        day = days.today()
        digest = counting.reader_digest(other.salt(day), "203.0.113.7", CHROME, article.pk)
        other.count_view(day, article.pk, digest, None, False)

        # The flusher dies after its commit, before it could delete the batch from Redis.
        monkeypatch.setattr(other.client, "delete", lambda *keys: 0)
        monkeypatch.setattr(other.client, "srem", lambda *keys: 0)
        assert other.flush() == 2
        assert counting.flush() == 0  # the batch is still in Redis; its marker says: written
        assert list(ArticleDay.objects.values_list("views", "readers")) == [(2, 1)]
        assert FlushedBatch.objects.count() == 1
        assert counting.store().client.scard(counting.store().batches_key) == 0
    finally:
        from .conftest import drop_redis_keys

        drop_redis_keys(settings)


@pytest.mark.django_db(transaction=True)
def test_the_timer_writes_a_quiet_sites_views_within_seconds(client, settings):
    settings.STATS_FLUSH_SECONDS = 0.2
    article = ArticleFactory()
    send_beacon(client, {"a": article.pk})
    send_beacon(client, {"a": article.pk}, user_agent=SAFARI)
    wait_until(
        lambda: ArticleDay.objects.filter(views=2, readers=2).exists(),
        timeout=20,
        message="the background flush",
    )


def gunicorn(port, **env):
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DEBUG": "0",
            "SECRET_KEY": "gunicorn-test",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "PORT": str(port),
            "GUNICORN_WORKERS": "2",
            "TASKS_BACKEND": "dummy",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shared", ["local", "redis"])
def test_gunicorn_workers_count_a_reader_once_and_lose_nothing_when_they_stop(shared, settings):
    """Two real worker processes; what they counted is written when they stop (SIGTERM, as a
    deploy or gunicorn's own recycling does), from their buffers or from Redis."""
    env = {}
    if shared == "redis":
        use_redis(settings)
        env = {"REDIS_URL": settings.REDIS_URL, "STATS_REDIS_PREFIX": settings.STATS_REDIS_PREFIX}
    article = ArticleFactory()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # Only stopping writes anything; each flush is logged with its number of views.
    server = gunicorn(port, STATS_FLUSH_SECONDS="600", LOG_LEVEL="INFO", **env)

    def view(n):
        request = urllib.request.Request(
            f"{url}/stats/beacon/",
            data=urlencode({"a": article.pk}).encode(),
            # Two readers behind one address, told apart by their browsers.
            headers={"Origin": url, "User-Agent": CHROME if n % 2 else SAFARI},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status

    try:
        wait_until(lambda: _answers(f"{url}/healthz"), timeout=60, message="gunicorn")
        # Both workers forked (the app is preloaded, so a forked worker is ready): /healthz
        # answers once the first is, and on a busy machine it could take all 60 alone.
        wait_until(lambda: len(_children(server.pid)) == 2, timeout=60, message="two workers")
        # Concurrent, so that both sync workers take some.
        with ThreadPoolExecutor(max_workers=6) as pool:
            assert set(pool.map(view, range(60))) == {204}
        assert not ArticleDay.objects.exists()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
        if shared == "redis":
            from .conftest import drop_redis_keys

            drop_redis_keys(settings)
    flushed = [int(hits) for hits in re.findall(r"stats flush: (\d+) hits", errors.decode())]
    assert sum(flushed) == 60, errors.decode()[-2000:]
    if shared == "local":
        assert len(flushed) == 2  # each worker had its own share
    assert list(ArticleDay.objects.values_list("views", "readers")) == [(60, 2)]


def _children(pid):
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return children.read().split()


def _answers(url):
    try:
        return urllib.request.urlopen(url, timeout=2).status == 200
    except OSError:
        return False
