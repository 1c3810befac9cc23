"""TASKS_BACKEND=rq without REDIS_URL or without its packages stops start-up with a message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from ops.checks import task_backend_is_usable
from ops.tasks import heartbeat
from subscriptions.checks import worker_sweeps_at_start


def manage(*args, prelude="pass", **env):
    """`manage.py ARGS` in a fresh process, as a deploy script would run it."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x", **env}
    code = (
        f"import sys; {prelude}; sys.argv = ['manage.py', *{list(args)!r}]; "
        "import runpy; runpy.run_path('manage.py', run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_manage_check_stops_when_rq_is_chosen_without_redis_url():
    result = manage("check", TASKS_BACKEND="rq", REDIS_URL="")
    assert result.returncode == 1
    assert "(ops.E002) TASKS_BACKEND is rq, but REDIS_URL is not set" in result.stderr
    assert "HINT: Set REDIS_URL" in result.stderr


def test_manage_check_stops_when_rq_is_chosen_but_not_installed():
    # As if django-tasks-rq were not installed: importing it fails.
    result = manage(
        "check",
        prelude="sys.modules['django_tasks_rq'] = None",
        TASKS_BACKEND="rq",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 1
    assert "(ops.E001) TASKS_BACKEND is rq, but django-tasks-rq and django-rq" in result.stderr


def test_manage_check_passes_with_rq_and_redis_url():
    result = manage("check", TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("backend", "redis_url", "installed", "errors"),
    [
        ("db", None, False, []),
        ("rq", "redis://127.0.0.1:6379/0", True, []),
        ("rq", None, True, ["ops.E002"]),
        ("rq", "redis://127.0.0.1:6379/0", False, ["ops.E001"]),
        ("rq", None, False, ["ops.E001", "ops.E002"]),
    ],
)
def test_the_check_names_what_rq_lacks(settings, backend, redis_url, installed, errors):
    settings.TASKS_BACKEND = backend
    settings.REDIS_URL = redis_url
    settings.RQ_INSTALLED = installed
    assert [error.id for error in task_backend_is_usable(None)] == errors


def test_a_process_that_skipped_the_checks_is_refused_tasks_with_the_reason(settings):
    settings.TASKS_BACKEND = "rq"
    settings.REDIS_URL = None
    settings.TASKS = {"default": {"BACKEND": "ops.backends.UnusableBackend"}}
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL is not set"):
        heartbeat.enqueue()


def test_rqworker_is_ours_and_refuses_to_run_another_backends_queue(settings):
    assert get_commands()["rqworker"] == "subscriptions"
    settings.TASKS_BACKEND = "db"
    with pytest.raises(CommandError, match="db_worker runs the db one"):
        call_command("rqworker", "--burst")


def test_check_fails_if_django_rq_would_take_the_rq_worker_command_back(settings, monkeypatch):
    settings.TASKS_BACKEND = "rq"
    assert worker_sweeps_at_start(None) == []
    monkeypatch.setitem(get_commands(), "rqworker", "django_rq")
    [error] = worker_sweeps_at_start(None)
    assert error.id == "subscriptions.E002"
