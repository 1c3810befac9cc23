import os
import socket
import uuid
from urllib.parse import urlencode

import pytest
from lxml import html

from stats import counting, public

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
# Its own database number, and a key prefix per test: runs sharing the server never collide.
TEST_REDIS_URL = os.environ.get("STATS_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _fresh_counting(settings):
    # Nothing counted in one test survives into the next, and no timer writes behind a test's
    # back: tests write with counting.flush() (the timer has tests of its own).
    settings.STATS_FLUSH_SECONDS = 0
    counting.reset()
    public.forget()
    yield
    counting.reset()
    public.forget()


@pytest.fixture(params=["local", "redis"])
def any_store(request, settings):
    """Each test twice: per-process buffers (no Redis), and Redis shared by all processes."""
    if request.param == "redis":
        use_redis(settings)
    yield request.param
    if request.param == "redis":
        drop_redis_keys(settings)


def use_redis(settings):
    if not redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.REDIS_URL = TEST_REDIS_URL
    # Keys of this test only, so that runs sharing the server never touch each other's.
    settings.STATS_REDIS_PREFIX = f"test-stats:{uuid.uuid4().hex}:"


def drop_redis_keys(settings):
    store = counting.store()
    keys = list(store.client.scan_iter(match=f"{settings.STATS_REDIS_PREFIX}*"))
    if keys:
        store.client.delete(*keys)


def send_beacon(client, fields, ip="203.0.113.7", user_agent=CHROME, **headers):
    """What navigator.sendBeacon sends: a same-origin form-encoded POST."""
    headers.setdefault("HTTP_ORIGIN", "http://testserver")
    return client.post(
        "/stats/beacon/",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded;charset=UTF-8",
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=user_agent,
        **headers,
    )


def beacon_of(response):
    """The beacon script a page carries, as the browser sees its attributes (None without)."""
    scripts = html.fromstring(response.content.decode()).xpath("//script[@data-endpoint]")
    assert len(scripts) <= 1
    return dict(scripts[0].attrib) if scripts else None


def fields_of(script, **extra):
    """The fields static/js/stats.js sends for a page's beacon script."""
    if "data-article" in script:
        fields = {"a": script["data-article"]}
    else:
        fields = {"q": script["data-search"], "f": script["data-found"]}
    return {**fields, **extra}
