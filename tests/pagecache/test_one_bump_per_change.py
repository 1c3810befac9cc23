"""A change retires cached pages once, when it commits: one admin save (the article, then its
tags), one comment approval, one import each bump the content version exactly once."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from articles.models import SiteSettings
from comments.models import Comment
from comments.policy import approve
from pagecache import version
from tests.articles.test_admin import article_form
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.pages import nowhere, text, texts
from tests.wordpress.conftest import EXPORT


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def bumps(monkeypatch):
    """Every bump of the content version, counted (and made)."""
    made = []
    bump = version.bump

    def counted():
        made.append(version.current())
        return bump()

    monkeypatch.setattr(version, "bump", counted)
    return made


def html(client, url):
    return client.get(url)


def title(page):
    return text(page, "h1.entry-title")


def comments(page):
    return text(page, ".comment-text")


@pytest.mark.django_db
def test_one_admin_save_of_an_article_with_tags_bumps_the_version_once(
    client, editor, bumps, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Before the edit")
    article.tags.add(TagFactory(name="Posture"))
    sleep, walking = TagFactory(name="Sleep"), TagFactory(name="Walking")
    url = article.get_absolute_url()
    assert title(html(client, url)) == "Before the edit"  # now cached for anonymous readers
    staff = Client()
    staff.force_login(editor)
    published = timezone.localtime(article.published_at)
    form = article_form(
        article.author, article.category, title="After the edit", slug=article.slug,
        status="published", published_at_0=published.strftime("%Y-%m-%d"),
        published_at_1=published.strftime("%H:%M:%S"), tags=[sleep.pk, walking.pk],
    )  # fmt: skip

    # The save writes the article, then replaces its tags (a removal and an addition).
    with django_capture_on_commit_callbacks() as on_commit:
        response = staff.post(f"/admin/articles/article/{article.pk}/change/", form)
    assert response.status_code == 302
    assert set(article.tags.values_list("name", flat=True)) == {"Sleep", "Walking"}
    # Nothing is retired before the commit: readers keep the page that was cached.
    assert bumps == []
    assert title(html(client, url)) == "Before the edit"

    for callback in on_commit:  # the commit
        callback()
    assert len(bumps) == 1
    page = html(client, url)
    assert title(page) == "After the edit"
    tags = texts(page, 'a[rel~="tag"]')
    assert "Walking" in tags and "Posture" not in tags


@pytest.mark.django_db
def test_approving_a_held_comment_bumps_the_version_once(
    client, bumps, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    held = approved_comment(article, comment="Held until staff looked")
    held.set_status(Comment.Status.PENDING)
    assert nowhere(html(client, article.get_absolute_url()), "Held until staff looked")
    bumps.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve(held)
    assert len(bumps) == 1
    assert "Held until staff looked" in comments(html(client, article.get_absolute_url()))


@pytest.mark.django_db
def test_taking_down_a_comment_with_replies_bumps_the_version_once(
    client, bumps, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    top = approved_comment(article, comment="The top comment")
    approved_comment(article, parent_id=top.pk, comment="A reply beneath it")
    assert "A reply beneath it" in comments(html(client, article.get_absolute_url()))
    bumps.clear()
    # The comment itself and the reply it hides: two writes, one transaction.
    with django_capture_on_commit_callbacks(execute=True):
        top.set_status(Comment.Status.SPAM)
    assert len(bumps) == 1
    page = html(client, article.get_absolute_url())
    assert nowhere(page, "The top comment") and nowhere(page, "A reply beneath it")


@pytest.mark.django_db(transaction=True)
class TestRealCommits:
    def test_outside_a_transaction_a_change_is_committed_and_retires_pages_at_once(
        self, client, bumps
    ):
        article = ArticleFactory(title="First title")
        assert title(html(client, article.get_absolute_url())) == "First title"
        bumps.clear()
        article.title = "Second title"
        article.save()
        assert len(bumps) == 1
        assert title(html(client, article.get_absolute_url())) == "Second title"

    def test_replacing_tags_is_one_change(self, bumps):
        article = ArticleFactory()
        article.tags.add(TagFactory())
        others = [TagFactory(), TagFactory()]
        bumps.clear()
        article.tags.set(others)  # one removal, one addition
        assert len(bumps) == 1

    def test_a_transaction_bumps_once_when_it_commits(self, bumps):
        article = ArticleFactory()
        bumps.clear()
        with transaction.atomic():
            article.title = "Edited"
            article.save()
            article.tags.add(TagFactory())
            CategoryFactory()
            assert bumps == []
        assert len(bumps) == 1

    def test_a_transaction_rolled_back_bumps_nothing(self, bumps):
        article = ArticleFactory()
        bumps.clear()
        with pytest.raises(RuntimeError), transaction.atomic():
            article.title = "Never committed"
            article.save()
            raise RuntimeError
        assert bumps == []

    def test_a_savepoint_rolled_back_leaves_the_rest_of_the_transaction_its_bump(self, bumps):
        article = ArticleFactory()
        bumps.clear()
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                article.title = "Rolled back"
                article.save()
                raise RuntimeError
            CategoryFactory()
        assert len(bumps) == 1

    def test_a_page_rendered_before_the_commit_is_retired_by_it(self, bumps):
        SiteSettings.load()  # its row exists on a running site (a first read would write it)
        article = ArticleFactory(title="Committed title")
        url = article.get_absolute_url()

        def read_elsewhere():
            """A reader served by another worker, on its own database connection."""
            seen = {}

            def run():
                try:
                    seen["html"] = html(Client(), url)
                finally:
                    connection.close()

            reader = threading.Thread(target=run)
            reader.start()
            reader.join(timeout=60)
            return seen["html"]

        with transaction.atomic():
            article.title = "Uncommitted title"
            article.save()
            # Rendered from the committed rows, and cached under the version of before.
            assert title(read_elsewhere()) == "Committed title"
            assert title(read_elsewhere()) == "Committed title"
        assert title(read_elsewhere()) == "Uncommitted title"

    def test_an_import_bumps_the_version_once(self, bumps):
        call_command("import_wordpress", str(EXPORT), verbosity=0)
        assert len(bumps) == 1
