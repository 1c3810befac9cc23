import os
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory

from guard.requests import client_ip, from_this_site, hit

pytestmark = pytest.mark.django_db


# A database of its own on a shared Redis: the test empties it.
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def redis_available():
    where = urlsplit(REDIS_TEST_URL)
    try:
        socket.create_connection((where.hostname, where.port or 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.9"
    settings.TRUSTED_PROXY_COUNT = 1
    # A client may prepend anything; the entry our one proxy appended is the last one.
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"


def test_same_origin_accepts_the_site_and_refuses_others():
    factory = RequestFactory()
    assert from_this_site(factory.post("/", HTTP_ORIGIN="http://testserver"))
    assert from_this_site(factory.post("/", HTTP_REFERER="http://testserver/2026/01/01/x/"))
    assert not from_this_site(factory.post("/", HTTP_ORIGIN="https://evil.example"))
    assert not from_this_site(factory.post("/", HTTP_ORIGIN="null"))
    assert not from_this_site(factory.post("/"))


@pytest.mark.usefixtures("steady_rate_window")
def test_the_database_counter_is_shared_and_keeps_no_address(settings):
    """Counted in a table every process shares (the local-memory cache is per process)."""
    assert not settings.REDIS_URL
    assert [hit("test", "203.0.113.5", 2, 60) for _ in range(3)] == [True, True, False]
    from guard.models import RateLimitCounter

    [counter] = RateLimitCounter.objects.all()
    assert counter.count == 3
    assert "203.0.113" not in counter.key


@pytest.mark.skipif(not redis_available(), reason=f"no Redis at {REDIS_TEST_URL}")
def test_the_redis_counter_is_shared_between_processes(settings):
    url = REDIS_TEST_URL
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    from django.core.cache import cache

    cache.clear()
    # Every process counts in the same window: the clock is held at one moment in all four, so
    # slow start-ups cannot straddle the end of a window.
    moment = time.time()
    code = (
        f"import time_machine; time_machine.travel({moment!r}, tick=False).start(); "
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='backstory.settings'; "
        "django.setup(); from guard.requests import hit; "
        "print(hit('test', 'shared-identity', 3, 60))"
    )
    env = {"REDIS_URL": url, "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    results = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True
        ).stdout.strip()
        for _ in range(4)
    ]
    assert results == ["True", "True", "True", "False"]
    cache.clear()
