"""LOG_FORMAT=json: every log record is one JSON object on one line."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def run(args, **env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DEBUG": "0", "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_logs_are_one_object_a_line():
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('subscriptions').warning('relay said %s', 'no\\nthanks')"
    )
    result = run(["-c", script], DJANGO_SETTINGS_MODULE="backstory.settings", LOG_FORMAT="json")
    [line] = result.stderr.splitlines()
    record = json.loads(line)
    assert record["message"] == "relay said no\nthanks"
    assert record["level"] == "WARNING"
    assert record["logger"] == "subscriptions"
    assert record["time"] and record["process"]


def test_the_worker_logs_json_too():
    from tests.subscriptions.worker import database_url

    result = run(
        ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        DATABASE_URL=database_url(),
        TASKS_BACKEND="db",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert any(
        r["logger"] == "django_tasks_db" and "Starting worker" in r["message"] for r in records
    )


def test_text_logs_stay_plain_and_an_unknown_format_stops_start_up():
    script = "import django, logging; django.setup(); logging.getLogger('x').warning('plain')"
    plain = run(["-c", script], DJANGO_SETTINGS_MODULE="backstory.settings")
    assert plain.stderr == "plain\n"
    bad = run(["manage.py", "check"], LOG_FORMAT="xml")
    assert bad.returncode == 1
    assert "LOG_FORMAT must be text or json; got 'xml'" in bad.stderr
