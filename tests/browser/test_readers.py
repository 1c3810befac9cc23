"""What a reader sees of issue 17's fixes, in a real browser, on a phone and on a desktop."""

from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from comments.models import Comment
from news import fetching
from news.models import Feed
from tests.browser.conftest import serious_violations
from tests.comments.conftest import approved_comment, links_in, path_of
from tests.factories import ArticleFactory
from tests.feed_server import rss

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=list(SIZES))
def viewport(request):
    return SIZES[request.param]


def test_a_held_comment_is_shown_to_its_writer_only_awaiting_moderation(
    browser, live_server, smtp_server, settings, viewport, axe
):
    settings.COMMENTS_MIN_SECONDS = 0
    settings.PAGE_CACHE = True
    cache.clear()
    article = ArticleFactory(title="Living with sciatica")
    earlier = approved_comment(article, user_name="Earlier Reader", comment="First!")
    url = live_server.url + article.get_absolute_url()

    writer_context = browser.new_context(viewport=viewport)
    writer = writer_context.new_page()
    writer.goto(url)
    writer.locator(f"#c{earlier.pk} .comment-reply-link").click()
    writer.get_by_label("Name").fill("Jordan")
    writer.get_by_label("Email", exact=True).fill("jordan@example.org")
    writer.get_by_role("textbox", name="Comment").fill("Walking every day helped me.")
    writer.get_by_role("button", name="Post Comment").click()
    writer.get_by_role("heading", name="Please confirm your email address").wait_for()
    assert smtp_server.wait_for(1)
    [link] = [u for u in links_in(smtp_server.to("jordan@example.org")[0]) if "/confirm/" in u]
    writer.goto(live_server.url + path_of(link))
    writer.get_by_role("button", name="Confirm my comment").click()
    writer.get_by_role("heading", name="Your comment is awaiting moderation").wait_for()
    held = Comment.objects.get(user_name="Jordan")
    assert held.status == Comment.Status.PENDING

    writer.goto(url)
    shown = writer.locator(f"#c{earlier.pk} > ol.children > #c{held.pk}")
    assert "Walking every day helped me." in shown.inner_text()
    assert "Awaiting moderation" in shown.locator(".badge-held").inner_text()
    assert serious_violations(axe.run(writer, context=".comments")) == []

    other_context = browser.new_context(viewport=viewport)
    other = other_context.new_page()
    # The same public page (the shared cache keeps it), nothing in it for this reader alone.
    assert "public" in other.goto(url).headers["cache-control"]
    assert other.locator(".comment-list").inner_text().count("Walking every day") == 0
    assert other.locator(".comment-held").count() == 0
    other_context.close()

    # Approved, it is everyone's: the writer's browser forgets its own copy.
    held.set_status(Comment.Status.APPROVED)
    writer.goto(url)
    writer.reload()  # past the browser's own copy (max-age), as a reader pressing reload
    assert writer.locator(f"#c{held.pk}").count() == 1
    assert writer.locator(".comment-held").count() == 0
    writer_context.close()
    cache.clear()


def test_a_like_is_counted_in_the_page_the_liker_sees_after_a_reload_from_cache(
    browser, live_server, viewport
):
    article = ArticleFactory(title="Cached article")
    url = live_server.url + article.get_absolute_url()
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    cached = page.goto(url).text()  # the bytes any cache (ours, nginx's, the browser's) keeps
    page.get_by_role("button", name="Like").click()
    page.get_by_text("1 reader likes this.").wait_for()

    # Reloaded within the cache's lifetime: the very page counted before the like.
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=cached))
    page.reload()
    assert page.locator(".likes-count").get_attribute("data-likes") == "0"
    assert page.get_by_role("button", name="Liked · Undo").is_visible()
    assert page.locator(".likes-count").inner_text() == "1 reader likes this."

    page.get_by_role("button", name="Liked · Undo").click()
    page.get_by_text("Be the first to like this.").wait_for()
    page.unroute(url)
    page.reload()  # a fresh page, counted after: its own count stands
    assert page.locator(".likes-count").inner_text() == "Be the first to like this."
    assert page.get_by_role("button", name="Like").is_visible()
    context.close()


def test_the_comment_field_counts_warns_and_nothing_is_cut(page, live_server, settings, axe):
    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    field = page.get_by_role("textbox", name="Comment")
    counter = page.locator("#id_comment_count")
    field.fill("a" * 4950)
    assert counter.inner_text() == "4,950 of 5,000 characters: 50 left."
    assert "char-count-near" in counter.get_attribute("class")
    field.fill("b" * 10_000)
    assert field.input_value() == "b" * 10_000  # pasted in full, not silently cut
    assert "5,000 too many" in counter.inner_text()

    page.get_by_label("Name").fill("Long")
    page.get_by_label("Email", exact=True).fill("long@example.org")
    page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("heading", name="Your comment needs a change").wait_for()
    assert "at most 5,000 characters; this one has 10,000" in page.locator("#respond").inner_text()
    assert not Comment.objects.exists()
    results = axe.run(page)
    assert serious_violations(results) == []
    assert [v["id"] for v in results.response["violations"] if v["id"] == "heading-order"] == []


def test_the_reply_page_without_javascript_has_its_headings_in_order(browser, live_server, axe):
    article = ArticleFactory()
    comment = approved_comment(article)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/comments/reply/{comment.pk}/")
    page.get_by_role("heading", name="Your reply", level=2).wait_for()
    context.close()
    # axe needs JavaScript to run: the same page, checked with it.
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/comments/reply/{comment.pk}/")
    results = axe.run(page)
    assert serious_violations(results) == []
    assert [v["id"] for v in results.response["violations"] if v["id"] == "heading-order"] == []
    context.close()


def test_the_news_box_shows_a_loopback_feed_keeps_it_when_it_fails_and_asks_no_other_host(
    browser, live_server, feed_server, viewport
):
    feed_server.body = rss(
        ("Annual meeting programme", "https://society.example/b", "Tue, 24 Nov 2026 09:00:00 GMT"),
        ("Guidelines updated", "https://society.example/a", "Mon, 02 Nov 2026 09:00:00 GMT"),
    )
    feed = Feed.objects.create(name="Spine Society", url=feed_server.url)
    assert fetching.fetch(feed)
    article = ArticleFactory()
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    hosts = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))

    for step in ("fetched", "failing"):
        if step == "failing":
            feed_server.status = 503
            assert not fetching.fetch(feed)
        cache.clear()
        for path in ("/", article.get_absolute_url()):
            page.goto(live_server.url + path)
            box = page.get_by_role("region", name="News from other sites")
            link = box.get_by_role("link", name="Annual meeting programme")
            assert link.get_attribute("href") == "https://society.example/b"
            assert "Spine Society · 24 Nov 2026" in box.inner_text()
            assert box.get_by_role("link").count() == 2
    assert set(hosts) == {urlsplit(live_server.url).netloc}
    context.close()
