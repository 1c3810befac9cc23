import pytest
from django.core.management import get_commands

from subscriptions.checks import suppression_key_is_set, worker_sweeps_at_start


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
