"""/healthz/ready: 200 when the database, the cache and the worker answer; 503 naming what not."""

import datetime

import pytest
from django.utils import timezone

from ops import worker
from ops.models import Schedule
from ops.tasks import heartbeat
from tests.guard.test_headers import production
from tests.pages import nowhere, text
from tests.smtp import free_port

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def lines(response):
    return response.content.decode().splitlines()


def broken_redis(settings):
    """A Redis cache nobody listens for (a Redis that is down)."""
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }


def test_ready_when_everything_answers_and_tasks_need_no_worker(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert lines(response) == [
        "ready",
        "database: ok",
        "cache: ok (local memory)",
        "worker: not needed (tasks run in the request)",
    ]
    assert "no-cache" in response["Cache-Control"]


def test_ready_with_a_worker_seen_just_now(client, settings):
    settings.TASKS = DB_TASKS
    worker.started()  # what a starting worker does
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert "worker: ok, last seen 0 s ago" in lines(response)


def test_not_ready_when_no_worker_ever_started(client, settings):
    settings.TASKS = DB_TASKS
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert lines(response)[0] == "not ready: worker"
    assert "worker: never seen" in lines(response)


def test_not_ready_when_the_heartbeat_is_older_than_the_limit(client, settings):
    settings.TASKS = DB_TASKS
    settings.WORKER_HEARTBEAT_MAX_AGE = 300
    worker.started()
    Schedule.objects.filter(task_path=heartbeat.module_path).update(
        last_run_at=timezone.now() - datetime.timedelta(seconds=400)
    )
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert lines(response)[0] == "not ready: worker"
    assert "worker: last seen 400 s ago (more than 300 s)" in lines(response)


def test_not_ready_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert lines(response)[0] == "not ready: database"
    assert "database: unavailable" in lines(response)
    assert "database down" not in response.content.decode()  # details go to the log


def test_not_ready_when_redis_is_down_even_with_the_page_cache_on(client, settings):
    settings.PAGE_CACHE = True  # the page cache would fail first if it stood in front
    broken_redis(settings)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert lines(response)[0] == "not ready: cache"
    assert "cache: unavailable (redis)" in lines(response)
    assert "127.0.0.1" not in response.content.decode()
    # The cheap check asks the database only, and still says so.
    healthz = client.get("/healthz")
    assert (healthz.status_code, healthz.content) == (200, b"ok")


def test_ready_with_a_real_redis_as_the_cache(client, settings, redis_server):
    settings.REDIS_URL = redis_server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert "cache: ok (redis)" in lines(response)


def test_probes_by_address_over_plain_http_are_answered():
    """With production settings (HTTPS redirect on, one allowed host), as a load balancer
    probes: by the node's address, over plain HTTP."""
    code = (
        "from django.test import Client\n"
        "for path in ('/healthz', '/healthz/ready', '/'):\n"
        "    print(path, Client().get(path, HTTP_HOST='10.1.2.3:8000').status_code)"
    )
    assert production(code) == ["/healthz", "200", "/healthz/ready", "200", "/", "400"]


def test_the_dashboard_shows_when_the_worker_was_last_seen(admin_client, settings):
    settings.TASKS = DB_TASKS
    page = admin_client.get("/admin/")
    panel = text(page, "#worker-status")
    assert panel.startswith("Task worker") and "Never seen" in panel
    assert "Not seen for more than 5 minutes" in panel

    worker.started()
    page = admin_client.get("/admin/")
    assert "Last seen 0 minutes ago" in text(page, "#worker-status")  # spaces collapsed
    assert nowhere(page, "Not seen for more than")


def test_the_dashboard_says_no_worker_is_needed_when_tasks_run_in_the_request(admin_client):
    page = admin_client.get("/admin/")
    assert "Not needed: tasks run in the request" in text(page, "#worker-status")
    assert nowhere(page, "Not seen for more than")
