"""The performance issue's budget: home ≤ 8 and post ≤ 10 SQL queries, at 1 and 300 comments
and at 1 and 200 articles, whether the sidebar and comment tree were cached or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from education.models import Reference
from pagecache import version
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory, TagFactory
from tests.pages import select

pytestmark = pytest.mark.django_db

HOME_BUDGET = 8
POST_BUDGET = 10


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def thread_of_300(article):
    """100 conversations three deep, as in the shared benchmark content."""
    for n in range(100):
        top = approved_comment(article, comment=f"Top {n}")
        second = approved_comment(article, parent_id=top.pk, comment=f"Second {n}")
        approved_comment(article, parent_id=second.pk, comment=f"Third {n}")


@pytest.fixture(params=[1, 200], ids=["1 article", "200 articles"])
def blog(request):
    tag = TagFactory()
    articles = ArticleFactory.create_batch(request.param)
    for article in articles[:20]:
        article.tags.add(tag)
    # The post cites its sources: shown with the article, at no query of their own.
    for number in (1, 2):
        Reference.objects.create(article=articles[0], number=number, title=f"Source {number}")
    articles[0].render_again(announce=False)
    return articles


@pytest.mark.parametrize("comments", [1, 300])
def test_home_and_post_stay_within_their_query_budgets(client, blog, comments):
    post = blog[0]
    if comments == 1:
        approved_comment(post)
    else:
        thread_of_300(post)
    assert Comment.objects.visible().count() == comments

    # The sidebar's news from other sites is asked for once per five minutes, not after changes
    # of our own content (its fragment is not versioned): a running site has it.
    client.get("/")
    cold = {}
    for name, url in (("post", post.get_absolute_url()), ("home", "/")):
        version.bump()  # as any change does: the sidebar and the comment tree are rebuilt
        cold[name] = queries(client, url)
    warm = {"home": queries(client, "/"), "post": queries(client, post.get_absolute_url())}
    assert cold["home"] <= HOME_BUDGET and warm["home"] <= HOME_BUDGET, (cold, warm)
    assert cold["post"] <= POST_BUDGET and warm["post"] <= POST_BUDGET, (cold, warm)
    page = client.get(post.get_absolute_url())
    assert len(select(page, "li.comment")) == comments
    assert len(select(page, ".references li")) == 2
