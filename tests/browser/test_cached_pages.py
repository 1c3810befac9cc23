import pytest
from django.core.cache import cache

from comments.models import Comment, Like
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cached_page_still_takes_a_comment_and_a_like_from_another_browser(
    browser, live_server, settings, smtp_server
):
    settings.PAGE_CACHE = True
    settings.COMMENTS_MIN_SECONDS = 0
    cache.clear()
    article = ArticleFactory(title="Cached article")
    url = live_server.url + article.get_absolute_url()

    first_context = browser.new_context()
    assert first_context.new_page().goto(url).headers["x-page-cache"] == "miss"
    first_context.close()

    second_context = browser.new_context()
    second = second_context.new_page()
    response = second.goto(url)
    assert response.headers["x-page-cache"] == "hit"  # the very bytes the first reader got

    second.get_by_role("button", name="Like").click()
    second.get_by_text("1 reader likes this.").wait_for()
    assert Like.objects.filter(article=article).count() == 1

    second.get_by_label("Name").fill("Sam")
    second.get_by_label("Email", exact=True).fill("sam@example.org")
    second.get_by_role("textbox", name="Comment").fill("Posted from a cached page.")
    second.get_by_role("button", name="Post Comment").click()
    second.get_by_role("heading", name="Please confirm your email address").wait_for()
    assert Comment.objects.get().comment == "Posted from a cached page."
    second_context.close()
    cache.clear()
