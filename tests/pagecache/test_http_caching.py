import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, Like
from comments.policy import approve
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory
from tests.pages import nowhere, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_anonymous_readers_get_public_cache_headers_and_a_cached_page(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    control = first["Cache-Control"]
    assert "public" in control and "max-age=30" in control and "stale-while-revalidate" in control
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert len(queries.captured_queries) == 0
    assert second.content == first.content


def test_conditional_gets_are_answered_304(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_staff_never_receive_a_cached_page(client, editor):
    article = ArticleFactory(title="Original title")
    client.get(article.get_absolute_url())  # cached for anonymous readers
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    assert not response.has_header("X-Page-Cache")
    assert "private" in response["Cache-Control"]
    Article.objects.filter(pk=article.pk).update(title="Changed without a signal")
    # The page is rendered afresh (its <title>); the article's cached fragment is retired only by
    # a change that sends the signal, which this update() does not.
    assert text(client.get(article.get_absolute_url()), "title").startswith(
        "Changed without a signal"
    )


def test_previews_posts_and_per_reader_pages_are_not_stored(client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)
    assert "no-store" in client.get(f"/preview/{draft.pk}/")["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert client.get(f"/preview/{draft.pk}/").status_code == 404
    article = ArticleFactory()
    response = client.post(article.get_absolute_url() + "like/", HTTP_ORIGIN="http://testserver")
    assert not response.has_header("X-Page-Cache")
    assert client.get("/nope/").status_code == 404
    assert not client.get("/nope/").has_header("X-Page-Cache")


@pytest.mark.parametrize("change", ["publish", "edit", "approve a comment"])
def test_changes_reach_anonymous_readers_at_once(
    client, change, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="First title")
    held = approved_comment(article, comment="A comment staff held")
    held.set_status(Comment.Status.PENDING)
    client.get("/")
    client.get(article.get_absolute_url())
    # Each change retires cached pages when it commits (here: its on_commit callbacks run).
    if change == "publish":
        with django_capture_on_commit_callbacks(execute=True):
            ArticleFactory(title="Brand new article")
        assert "Brand new article" in texts(client.get("/"), ".summary .entry-title")
    elif change == "edit":
        article.title = "Edited title"
        with django_capture_on_commit_callbacks(execute=True):
            article.save()
        assert text(client.get(article.get_absolute_url()), "h1") == "Edited title"
    else:
        with django_capture_on_commit_callbacks(execute=True):
            approve(held)
        page = client.get(article.get_absolute_url())
        assert "A comment staff held" in text(page, ".comment-text")


def test_a_scheduled_article_appears_when_its_time_comes(client):
    scheduled = ArticleFactory(
        title="Scheduled piece", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert nowhere(client.get("/"), "Scheduled piece")
    assert client.get("/")["X-Page-Cache"] == "hit"
    # The time arrives (no save, no signal: only the clock moves).
    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    from pagecache import version

    state = dict(version.state())
    state["next"] = timezone.now().timestamp() - 1
    version._write(state)
    assert "Scheduled piece" in texts(client.get("/"), ".summary .entry-title")


def test_a_like_does_not_empty_the_cache(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.post(article.get_absolute_url() + "like/", HTTP_ORIGIN="http://testserver")
    assert Like.objects.count() == 1
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("status", ["removed", "spam", "pending"])
def test_a_comment_taken_down_disappears_from_cached_pages_at_once(
    client, status, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    comment = approved_comment(article, comment="My phone is 555-0100")
    assert "555-0100" in text(client.get(article.get_absolute_url()), ".comment-text")
    with django_capture_on_commit_callbacks(execute=True):
        comment.set_status(status)
    assert nowhere(client.get(article.get_absolute_url()), "555-0100")


def test_bulk_deleted_comments_disappear_from_cached_pages(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    comment = approved_comment(article, comment="Delete me please")
    assert "Delete me please" in text(client.get(article.get_absolute_url()), ".comment-text")
    staff = type(client)()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            "/admin/comments/comment/",
            {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
        )
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert nowhere(client.get(article.get_absolute_url()), "Delete me please")


def test_healthz_is_never_cached(client):
    first = client.get("/healthz")
    assert "no-store" in first["Cache-Control"]
    assert not client.get("/healthz").has_header("X-Page-Cache")


def test_the_content_version_is_shared_between_processes(settings):
    """Without Redis each process caches alone; a change made in another process (the task
    worker, another gunicorn worker) must still retire this one's cached pages."""
    import subprocess
    import sys

    from pagecache import version

    before = version.current()
    code = (
        "import django; django.setup(); from pagecache import version; print(version.bump()['v'])"
    )
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{settings.BASE_DIR / db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        "SECRET_KEY": "x",
        "PATH": "/usr/bin:/bin",
        "CONTENT_VERSION_FILE": str(settings.CONTENT_VERSION_FILE),
        "DJANGO_SETTINGS_MODULE": "backstory.settings",
        "DATABASE_URL": url,
    }
    other = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )
    assert other.returncode == 0, other.stderr[-2000:]
    other = other.stdout.strip()
    assert version.current() == int(other) != before
