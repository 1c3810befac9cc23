import pytest
from django.core.management import get_commands

from subscriptions.checks import (
    digest_time_is_understood,
    suppression_key_is_set,
    worker_sweeps_at_start,
)


def test_the_worker_command_is_ours_so_it_sweeps_at_start():
    assert get_commands()["db_worker"] == "subscriptions"
    assert worker_sweeps_at_start(None) == []


def test_check_fails_if_django_tasks_db_would_take_the_worker_command_back(monkeypatch):
    monkeypatch.setitem(get_commands(), "db_worker", "django_tasks_db")
    [error] = worker_sweeps_at_start(None)
    assert error.id == "subscriptions.E001"


@pytest.mark.parametrize(("key", "warned"), [(None, True), ("a-separate-long-key", False)])
def test_deploy_check_asks_for_a_separate_suppression_key(settings, key, warned):
    settings.SUBSCRIPTIONS_HASH_KEY = key or settings.SECRET_KEY
    assert bool(suppression_key_is_set(None)) is warned


@pytest.mark.parametrize(
    ("weekday", "time", "ok"),
    [(0, "08:00", True), (6, "23:30", True), (7, "08:00", False), (0, "8 am", False)],
)
def test_a_digest_day_or_time_the_sweep_cannot_read_stops_the_site(settings, weekday, time, ok):
    settings.SUBSCRIPTIONS_DIGEST_WEEKDAY, settings.SUBSCRIPTIONS_DIGEST_TIME = weekday, time
    assert [e.id for e in digest_time_is_understood(None)] == ([] if ok else ["subscriptions.E003"])
