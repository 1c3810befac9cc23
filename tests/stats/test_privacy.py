"""No cookie, and no IP address, user agent or full referrer anywhere after a run: not in any
table, not in the cache (local memory or Redis), not in the logs."""

import logging
import pickle

import pytest
from django.core.cache.backends.locmem import _caches
from django.db import connection

from stats import counting
from stats.models import ArticleDay, DailySalt, ReferrerDay, SeenReader
from tests.factories import ArticleFactory

from .conftest import beacon_of, fields_of, send_beacon

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
IPV6 = "2001:db8:4:17::a5"
AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Zebrafish/9.9.77"
)
REFERRER = "https://www.patient-forum.test/threads/4521-my-l4-l5-fusion?member=jdoe1987"
NEEDLES = [IP, IPV6, "Zebrafish", AGENT, REFERRER, "threads/4521", "jdoe1987", "l4-l5-fusion"]


def every_cell():
    """Every value in every table of the database, as text."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    yield table, str(value)


def everything_cached(settings):
    """Keys and values of the local-memory caches, and of Redis when the test uses it."""
    for cache in _caches.values():
        for key, value in cache.items():
            yield key
            yield pickle.loads(value).__repr__() if value else ""
            yield value.decode("latin-1")
    if settings.REDIS_URL:
        client = counting.store().client
        for key in client.scan_iter(match=f"{settings.STATS_REDIS_PREFIX}*"):
            yield key.decode()
            kind = client.type(key).decode()
            if kind == "hash":
                yield repr(client.hgetall(key))
            elif kind == "set":
                yield repr(client.smembers(key))
            else:
                yield repr(client.get(key))


def test_no_cookie_and_no_address_agent_or_referrer_is_kept_anywhere(
    client, settings, caplog, any_store
):
    caplog.set_level(logging.DEBUG)
    settings.PAGE_CACHE = True
    article = ArticleFactory(title="Living with a lumbar fusion")
    ArticleFactory(title="Fusion surgery: the first month")
    pages = [
        client.get(article.get_absolute_url(), HTTP_USER_AGENT=AGENT, HTTP_REFERER=REFERRER),
        client.get(article.get_absolute_url(), HTTP_USER_AGENT=AGENT, HTTP_REFERER=REFERRER),
        client.get("/", {"s": "fusion"}, HTTP_USER_AGENT=AGENT, REMOTE_ADDR=IP),
    ]
    responses = [
        send_beacon(client, fields_of(beacon_of(pages[0]), r="www.patient-forum.test"), ip=IP,
                    user_agent=AGENT, HTTP_REFERER=REFERRER),
        send_beacon(client, fields_of(beacon_of(pages[1]), r=REFERRER, m="1"), ip=IPV6,
                    user_agent=AGENT, HTTP_REFERER=REFERRER),
        send_beacon(client, fields_of(beacon_of(pages[2])), ip=IP, user_agent=AGENT),
        send_beacon(client, {"a": "nope"}, ip=IP, user_agent=AGENT),  # and one that fails
    ]  # fmt: skip
    counting.flush()

    # Something was counted, so there was something to leak.
    assert list(ArticleDay.objects.values_list("views", "readers", "mail_views")) == [(2, 2, 1)]
    assert list(ReferrerDay.objects.values_list("host", "views")) == [("patient-forum.test", 2)]
    for response in pages + responses:
        assert not response.cookies
        assert not response.has_header("Set-Cookie")

    leaks = [(table, cell) for table, cell in every_cell() if any(n in cell for n in NEEDLES)]
    assert leaks == []
    cached = list(everything_cached(settings))
    assert cached  # the page cache and the counters are really there
    assert [text for text in cached if any(n in text for n in NEEDLES)] == []
    assert not [n for n in NEEDLES if n in caplog.text]


def test_what_identifies_a_reader_is_a_hash_that_is_useless_without_the_days_salt(client):
    article = ArticleFactory()
    send_beacon(client, {"a": article.pk}, ip=IP, user_agent=AGENT)
    counting.flush()
    [seen] = SeenReader.objects.all()
    [salt] = DailySalt.objects.all()
    assert len(seen.digest) == 32 and seen.digest != counting.reader_digest(
        "", IP, AGENT, article.pk
    )
    assert seen.digest == counting.reader_digest(salt.value, IP, AGENT, article.pk)
    # Random: made again for the same day (with the same SECRET_KEY), it is another salt.
    DailySalt.objects.all().delete()
    counting.reset()
    send_beacon(client, {"a": article.pk}, ip=IP, user_agent=AGENT)
    assert len(salt.value) == 64
    assert DailySalt.objects.get().value != salt.value


def test_the_demo_privacy_page_tells_readers_what_is_counted():
    from articles.demo.loader import load_demo
    from articles.models import Page

    load_demo()
    privacy = Page.objects.get(slug="privacy").body
    assert "## Counting readers" in privacy
    assert "never keep** your IP address" in privacy
