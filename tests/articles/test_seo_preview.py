"""The article form's preview of its search result and social card, with its warnings."""

import pytest
from bs4 import BeautifulSoup

from articles import seo
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def preview(client, article):
    page = BeautifulSoup(
        client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser"
    )
    return page.select_one("#seo-preview")


def test_the_preview_shows_the_result_and_card_the_article_makes(editor_client, settings):
    article = ArticleFactory(title="Sciatica", meta_description="What helps, and when to call.")
    box = preview(editor_client, article)
    assert box.select_one(".serp-title").get_text() == "Sciatica"
    assert box.select_one(".serp-description").get_text() == "What helps, and when to call."
    assert box.select_one(".serp-address").get_text().endswith(article.get_absolute_url())
    assert box.select_one(".card-title").get_text() == "Sciatica"
    assert box.select(".seo-warnings li") == []


def test_the_preview_warns_of_a_long_title_and_no_description(editor_client):
    title = "A very long title about lower back pain that search engines will cut off"
    box = preview(editor_client, ArticleFactory(title=title, excerpt="", meta_description=""))
    warnings = [li.get_text() for li in box.select(".seo-warnings li")]
    assert warnings[0].startswith(f"The title has {len(title)} characters")
    assert warnings[1].startswith("No description")
    assert box.select_one(".serp-title").get_text().endswith("…")
    assert len(box.select_one(".serp-title").get_text()) == seo.SEARCH_TITLE_CHARS


def test_an_image_without_a_description_is_warned_about():
    warnings = seo.preview_warnings("Short", "A description.", has_image=True, image_alt=" ")
    assert warnings == ["The featured image has no description for readers who cannot see it."]
    assert seo.preview_warnings("Short", "A description.", True, "An X-ray") == []
