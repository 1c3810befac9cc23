import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from tests.articles.feed_checks import check_rss
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory
from tests.pages import attrs

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion():
    article = ArticleFactory(title="Back pain at night")
    shown = approved_comment(
        article, user_name="Robin", user_email="robin.private@example.org",
        ip_address="203.0.113.9", comment="Sleeping on my side helped.",
    )  # fmt: skip
    held = approved_comment(article, user_name="Held", comment="Not approved yet")
    held.set_status(Comment.Status.PENDING)
    other = ArticleFactory(title="Another article")
    approved_comment(other, user_name="Sky", comment="On another article.")
    return article, shown


def test_the_site_comment_feed_lists_approved_comments_only(client, discussion):
    article, shown = discussion
    response = client.get("/comments/feed/")
    assert response.status_code == 200
    check_rss(response.content)
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert "Robin on “Back pain at night”" in titles
    assert "Sky on “Another article”" in titles
    assert not any("Held" in t for t in titles)
    [robin] = [e for e in feed.entries if e.title.startswith("Robin")]
    assert robin.link == f"http://127.0.0.1:8000{article.get_absolute_url()}#c{shown.pk}"
    assert "Sleeping on my side helped." in robin.summary


def test_an_articles_comment_feed_has_only_its_comments(client, discussion):
    article, _ = discussion
    response = client.get(article.get_absolute_url() + "feed/")
    assert response.status_code == 200
    check_rss(response.content)
    feed = feedparser.parse(response.content)
    assert [e.title for e in feed.entries] == ["Robin on “Back pain at night”"]
    links = attrs(client.get(article.get_absolute_url()), 'head link[rel="alternate"]', "href")
    assert f"{article.get_absolute_url()}feed/" in links


def test_comment_feeds_never_carry_an_email_or_ip_address(client, discussion):
    article, _ = discussion
    for url in ["/comments/feed/", article.get_absolute_url() + "feed/"]:
        body = client.get(url).content.decode()
        assert "robin.private" not in body and "203.0.113.9" not in body


def test_no_comment_feed_for_hidden_articles(client):
    draft = ArticleFactory(status="draft", published_at=None)
    approved_comment(draft, comment="On a draft")
    assert client.get(f"/2026/01/01/{draft.slug}/feed/").status_code == 404
    assert "On a draft" not in client.get("/comments/feed/").content.decode()


def test_the_site_feed_does_not_grow_with_the_number_of_articles(client):
    """Public articles are chosen by the database, not listed id by id in the query."""
    article = ArticleFactory(title="Commented")
    approved_comment(article, user_name="Robin", comment="Helpful.")

    def feed_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/comments/feed/")
        assert [e.title for e in feedparser.parse(response.content).entries] == [
            "Robin on “Commented”"
        ]
        return [q["sql"] for q in queries.captured_queries]

    feed_queries()  # caches what any first request loads (the content types)
    few = feed_queries()
    ArticleFactory.create_batch(40)
    many = feed_queries()
    assert len(many) == len(few)
    # 40 more ids in an IN list would add well over a hundred characters.
    assert max(map(len, many)) - max(map(len, few)) < 20
