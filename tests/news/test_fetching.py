import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache

from news import fetching
from news.models import Feed, Item
from news.tasks import fetch_news
from tests.factories import UserFactory
from tests.feed_server import rss

pytestmark = pytest.mark.django_db

NOV_2, NOV_24, NOV_25 = (
    f"{d}, {n} Nov 2026 09:00:00 GMT" for d, n in (("Mon", "02"), ("Tue", 24), ("Wed", 25))
)
ENTRIES = (
    ("Older: &lt;b&gt;guidelines&lt;/b&gt; updated", "https://society.example/a", NOV_2),
    ("Annual meeting <script>alert(1)</script>programme", "https://society.example/b", NOV_24),
    ("A javascript link", "javascript:alert(1)", NOV_25),
)


def sidebar_items(client):
    cache.clear()
    html = BeautifulSoup(client.get("/").content, "html.parser")
    box = html.select_one(".widget-news")
    return [
        (li.a.get_text(strip=True), li.a["href"], li.select_one(".news-meta").get_text(" ", True))
        for li in (box.select("li") if box else [])
    ]


def test_the_sidebar_shows_a_feeds_items_as_plain_text_with_source_and_date(client, feed_server):
    feed_server.body = rss(*ENTRIES)
    feed = Feed.objects.create(name="Spine Society", url=feed_server.url)
    assert fetching.fetch(feed)
    assert sidebar_items(client) == [
        ("Annual meeting programme", "https://society.example/b", "Spine Society · 24 Nov 2026"),
        ("Older: guidelines updated", "https://society.example/a", "Spine Society · 2 Nov 2026"),
    ]  # newest first; tags dropped, the javascript: link left out


def test_a_failing_feed_keeps_its_last_good_items_and_tells_staff(client, feed_server):
    feed_server.body = rss(*ENTRIES)
    feed = Feed.objects.create(name="Spine Society", url=feed_server.url)
    fetching.fetch(feed)
    before = sidebar_items(client)
    feed_server.status = 500
    assert not fetching.fetch(feed)
    feed_server.status, feed_server.body = 200, b"<html>not a feed</html>"
    assert not fetching.fetch(feed)
    assert sidebar_items(client) == before
    feed.refresh_from_db()
    assert feed.last_error == "not an RSS or Atom feed"

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    listing = client.get("/admin/news/feed/").content.decode()
    assert "Failing since" in listing and "not an RSS or Atom feed" in listing
    dashboard = BeautifulSoup(client.get("/admin/").content, "html.parser")
    panel = dashboard.select_one("#failing-feeds").get_text(" ", strip=True)
    assert "News feeds that fail 1" in panel and "Spine Society : not an RSS or Atom feed" in panel


def test_a_feed_over_the_size_cap_is_refused_and_nothing_changes(feed_server, settings):
    settings.NEWS_MAX_BYTES = 2000
    feed_server.body = rss(*ENTRIES * 20)
    feed = Feed.objects.create(name="Big", url=feed_server.url)
    assert not fetching.fetch(feed)
    feed.refresh_from_db()
    assert feed.last_error == "larger than 1 KB: not fetched"
    assert not Item.objects.exists()


def test_an_unreachable_feed_fails_within_the_timeout(settings):
    settings.NEWS_TIMEOUT_SECONDS = 1
    feed = Feed.objects.create(name="Gone", url="http://127.0.0.1:9/feed.xml")
    assert not fetching.fetch(feed)
    feed.refresh_from_db()
    assert feed.last_error.startswith("could not be reached")


def test_the_periodic_task_fetches_every_active_feed(feed_server):
    feed_server.body = rss(*ENTRIES)
    Feed.objects.create(name="On", url=feed_server.url)
    Feed.objects.create(name="Off", url=feed_server.url + "?off", active=False)
    result = fetch_news.call()
    assert result == {"fetched": 1, "failed": 0}
    assert feed_server.requests == 1
    assert set(Item.objects.values_list("feed__name", flat=True)) == {"On"}


def test_a_worker_starting_queues_one_periodic_fetch(db_tasks):
    from django_tasks_db.models import DBTaskResult

    from ops import worker

    worker.started()
    worker.started()
    queued = DBTaskResult.objects.filter(task_path=fetch_news.module_path, status="READY")
    assert queued.count() == 1
