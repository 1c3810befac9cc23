"""Days cannot be linked: the salt rotates at midnight and yesterday's is deleted; the daily
task forgets the working hashes and prunes figures past the retention setting."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from stats import counting, days, tasks
from stats.models import ArticleDay, DailySalt, FlushedBatch, ReferrerDay, SearchDay, SeenReader
from tests.factories import ArticleFactory

from .conftest import send_beacon
from .test_privacy import every_cell

pytestmark = pytest.mark.django_db


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_the_next_day_the_same_reader_is_new_and_yesterdays_salt_is_gone(
    client, settings, any_store
):
    settings.TIME_ZONE = "America/Chicago"  # days are the site's days, not UTC's
    article = ArticleFactory(published_at=local(2025, 1, 5, 8, 0))
    # 23:50 in Chicago is already 04:50 on the 11th in UTC: both visits fall on one UTC day.
    with time_machine.travel(local(2026, 3, 10, 23, 50), tick=False) as clock:
        send_beacon(client, {"a": article.pk})
        send_beacon(client, {"a": article.pk})
        counting.flush()
        salt = counting.store().salt(datetime.date(2026, 3, 10))

        clock.move_to(local(2026, 3, 11, 0, 5))
        send_beacon(client, {"a": article.pk})
        counting.flush()

    assert list(ArticleDay.objects.order_by("day").values_list("day", "views", "readers")) == [
        (datetime.date(2026, 3, 10), 2, 1),
        (datetime.date(2026, 3, 11), 1, 1),
    ]
    store = counting.store()
    assert list(store.salts) == [datetime.date(2026, 3, 11)]  # not even in memory
    assert salt not in {cell for _, cell in every_cell()}
    assert not DailySalt.objects.filter(day__lt=datetime.date(2026, 3, 11)).exists()
    if any_store == "redis":
        assert store.client.get(store.key("salt", datetime.date(2026, 3, 10))) is None
        assert store.client.exists(store.key("seen", datetime.date(2026, 3, 10))) == 0


def test_the_days_salt_is_sure_to_go_after_midnight_even_if_nobody_reads_then(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import task_backends

    article = ArticleFactory()
    send_beacon(client, {"a": article.pk})
    send_beacon(client, {"a": article.pk}, ip="198.51.100.30")
    [queued] = task_backends["default"].results
    assert queued.task.name == "forget_past_days"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert queued.task.run_after == days.start_of(tomorrow) + days.GRACE


def test_the_day_task_forgets_hashes_only_after_the_grace_period():
    day = datetime.date(2026, 5, 2)
    for offset in range(3):
        past = day - datetime.timedelta(days=offset)
        DailySalt.objects.create(day=past, value=f"{offset:064d}")
        SeenReader.objects.create(day=past, digest=f"{offset:032d}")
    FlushedBatch.objects.create(name="old")
    FlushedBatch.objects.filter(name="old").update(created_at=local(2026, 4, 1, 12, 0))
    FlushedBatch.objects.create(name="new")

    tasks.forget(now=local(2026, 5, 2, 0, 3))  # yesterday's last batches may still be coming
    assert list(DailySalt.objects.values_list("day", flat=True)) == [day]
    assert sorted(SeenReader.objects.values_list("day", flat=True)) == [
        day - datetime.timedelta(days=1),
        day,
    ]
    tasks.forget(now=local(2026, 5, 2, 0, 11))
    assert list(SeenReader.objects.values_list("day", flat=True)) == [day]
    assert list(FlushedBatch.objects.values_list("name", flat=True)) == ["new"]


def test_figures_are_kept_until_staff_set_a_retention(settings):
    article = ArticleFactory()
    today = timezone.localdate()
    for age in (0, 29, 30, 400):
        day = today - datetime.timedelta(days=age)
        ArticleDay.objects.create(article=article, day=day, views=1, readers=1)
        ReferrerDay.objects.create(article=article, day=day, host="example.org", views=1)
        SearchDay.objects.create(day=day, term="neck", searches=1)

    settings.STATS_RETENTION_DAYS = None
    assert tasks.forget_past_days.call()["pruned"] == 0
    assert ArticleDay.objects.count() == 4

    settings.STATS_RETENTION_DAYS = 30
    assert tasks.forget_past_days.call()["pruned"] == 6
    for model in (ArticleDay, ReferrerDay, SearchDay):
        assert sorted((today - d).days for d in model.objects.values_list("day", flat=True)) == [
            0,
            29,
        ]
