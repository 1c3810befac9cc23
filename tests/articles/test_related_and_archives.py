import datetime

import pytest
from django.utils import timezone

from articles.models import Article, default_category_id
from tests.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.pages import attrs, nowhere, one, texts

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def related_titles(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return [related.title for related in response.context["related_articles"]]


def test_related_articles_share_tags_or_the_category_most_shared_first(client):
    spine, sleep, desk = TagFactory(), TagFactory(), TagFactory()
    category = CategoryFactory()
    article = ArticleFactory(title="This one", category=category)
    article.tags.add(spine, sleep)

    both_tags = ArticleFactory(title="Both tags", published_at=days_ago(30))
    both_tags.tags.add(spine, sleep, desk)
    one_tag_newer = ArticleFactory(title="One tag, newer", published_at=days_ago(3))
    one_tag_newer.tags.add(sleep)
    ArticleFactory(title="Same category, older", category=category, published_at=days_ago(9))
    ArticleFactory(title="Unrelated", published_at=days_ago(2))
    ArticleFactory(title="Other tag only", published_at=days_ago(2)).tags.add(desk)
    for hidden in (
        ArticleFactory(title="Draft", status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(title="Tomorrow", published_at=timezone.now() + datetime.timedelta(1)),
    ):
        hidden.category = category
        hidden.save()
        hidden.tags.add(spine, sleep)

    assert related_titles(client, article) == [
        "Both tags",
        "One tag, newer",
        "Same category, older",
    ]
    section = one(client.get(article.get_absolute_url()), "section.related-articles")
    assert both_tags.get_absolute_url() in attrs(section, "a", "href")
    assert nowhere(section, "This one")


def test_related_articles_stop_at_three(client):
    category = CategoryFactory()
    article = ArticleFactory(category=category)
    ArticleFactory.create_batch(5, category=category)
    assert len(related_titles(client, article)) == 3


def test_sharing_only_the_default_category_relates_nothing(client):
    uncategorized = default_category_id()
    article = ArticleFactory(category_id=uncategorized)
    ArticleFactory(category_id=uncategorized)
    page = client.get(article.get_absolute_url())
    assert related_titles(client, article) == []
    assert nowhere(page, "Related articles")


def test_the_sidebar_lists_months_with_counts_in_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "America/Chicago"
    utc = datetime.UTC
    # 03:30 UTC on 1 March is still the evening of 28 February in Chicago.
    ArticleFactory(published_at=datetime.datetime(2025, 3, 1, 3, 30, tzinfo=utc))
    ArticleFactory(published_at=datetime.datetime(2025, 2, 10, 12, 0, tzinfo=utc))
    ArticleFactory(published_at=datetime.datetime(2025, 3, 20, 12, 0, tzinfo=utc))
    ArticleFactory(published_at=datetime.datetime(2024, 12, 5, 12, 0, tzinfo=utc))
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=400))

    widget = one(client.get("/"), "section.widget.widget-archives")
    assert [(item.a["href"], item.a.get_text()) for item in widget.select("li")] == [
        ("/2025/03/", "March 2025"),
        ("/2025/02/", "February 2025"),
        ("/2024/12/", "December 2024"),
    ]
    assert texts(widget, "li")[:2] == ["March 2025 (1)", "February 2025 (2)"]
    # The month archive the link leads to agrees with the count.
    assert len(client.get("/2025/02/").context["articles"]) == 2
