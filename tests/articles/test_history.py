"""Revisions: every staff save keeps one; the history compares any two and restores one."""

from functools import partial

import pytest
from bs4 import BeautifulSoup
from reversion.models import Version

from articles.models import Article, Page
from subscriptions.models import Delivery
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, PageFactory, TagFactory, UserFactory
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return partial(django_capture_on_commit_callbacks, execute=True)


def html(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def edit(client, article, **fields):
    data = article_form(article.author, article.category, _update="Update", **fields)
    data["slug"] = article.slug
    data["published_at_0"] = article.published_at.strftime("%Y-%m-%d")
    data["published_at_1"] = article.published_at.strftime("%H:%M:%S")
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_each_save_keeps_a_revision_and_the_text_before_the_first(editor_client, editor):
    article = ArticleFactory(title="Sciatica", body="Old words.")
    edit(editor_client, article, title="Sciatica explained", body="First edit.")
    edit(editor_client, article, title="Sciatica explained", body="Second edit.")
    versions = list(Version.objects.get_for_object(article))
    assert [v.field_dict["body"] for v in versions] == ["Second edit.", "First edit.", "Old words."]
    assert versions[0].revision.user == editor
    assert "Changed Body" in versions[0].revision.get_comment()

    page = html(editor_client.get(f"/admin/articles/article/{article.pk}/history/"))
    items = page.select("li.revision")
    assert len(items) == 3
    assert "editor" in items[0].get_text() and "current version" in items[0].get_text()
    assert "Changed: Body" in items[0].get_text()
    assert "Changed: Title, Body" in items[1].get_text()
    assert [b.get_text(" ", strip=True) for b in page.select("li.revision button")][0].startswith(
        "Restore this version"
    )
    assert len(page.select("li.revision form")) == 2  # not for the current version


def test_the_diff_shows_removed_and_added_words_escaped(editor_client):
    article = ArticleFactory(body="Walk daily.\nRest <b>well</b>.")
    edit(
        editor_client,
        article,
        title=article.title,
        body="Walk daily.\nRest <b>often</b>.\nStretch.",
    )
    new, old = Version.objects.get_for_object(article)
    page = html(
        editor_client.get(
            f"/admin/articles/article/{article.pk}/history/compare/?from={old.pk}&to={new.pk}"
        )
    )
    body = page.find("h2", string="Body").parent
    assert [li["class"][0] for li in body.select("ul.diff li")] == [
        "diff-same", "diff-removed", "diff-added", "diff-added",
    ]  # fmt: skip
    assert body.select_one("li.diff-removed del").get_text() == "<b>well</b>."
    assert body.select_one("li.diff-added ins").get_text() == "<b>often</b>."
    assert body.find("b") is None  # shown as typed, never as HTML
    assert page.find("h2", string="Title") is None  # unchanged fields are left out


def test_restoring_a_published_article_keeps_its_address_and_mails_nobody(
    editor_client, smtp_server, committed
):
    with committed():
        article = ArticleFactory(title="Neck pain", body="Version one.")
    FollowerFactory.create_batch(2)
    address = article.get_absolute_url()
    tag = TagFactory(name="posture")
    article.tags.add(tag)
    edit(editor_client, article, title="Neck pain", body="Version one.", tags=[tag.pk])
    edit(editor_client, article, title="Neck pain at work", body="Version two.", tags=[])
    first = Version.objects.get_for_object(article)[1]

    with committed():
        response = editor_client.post(
            f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/"
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body, article.status) == (
        "Neck pain",
        "Version one.",
        "published",
    )
    assert list(article.tags.all()) == [tag]
    assert article.get_absolute_url() == address
    public = editor_client.get(address)
    assert "Version one." in public.content.decode()
    assert Delivery.objects.count() == 0
    assert smtp_server.messages == []
    newest = Version.objects.get_for_object(article).first()
    assert newest.revision.get_comment().startswith("Restored the version of")


def test_restoring_keeps_the_slug_even_when_the_revision_had_another(editor_client):
    article = ArticleFactory(slug="old-slug", body="One.")
    edit(editor_client, article, body="One.")
    article.refresh_from_db()
    data = article_form(article.author, article.category, _update="Update", body="Two.")
    data.update(
        slug="new-slug",
        published_at_0=article.published_at.strftime("%Y-%m-%d"),
        published_at_1=article.published_at.strftime("%H:%M:%S"),
    )
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    first = Version.objects.get_for_object(article)[1]
    editor_client.post(f"/admin/articles/article/{article.pk}/history/{first.pk}/restore/")
    article.refresh_from_db()
    assert (article.slug, article.body) == ("new-slug", "One.")


def test_an_author_sees_only_the_history_of_her_own_articles(client, author_user):
    from tests.factories import AuthorFactory

    mine = ArticleFactory(author=AuthorFactory(user=author_user))
    theirs = ArticleFactory()
    client.force_login(author_user)
    assert client.get(f"/admin/articles/article/{mine.pk}/history/").status_code == 200
    assert client.get(f"/admin/articles/article/{theirs.pk}/history/").status_code == 404
    assert client.post(f"/admin/articles/article/{theirs.pk}/history/1/restore/").status_code == 404
    assert Article.objects.get(pk=theirs.pk).body == theirs.body


def test_a_restore_needs_a_post(editor_client):
    article = ArticleFactory()
    edit(editor_client, article, body="Changed.")
    version = Version.objects.get_for_object(article).last()
    url = f"/admin/articles/article/{article.pk}/history/{version.pk}/restore/"
    assert editor_client.get(url).status_code == 405


def test_pages_keep_revisions_and_restore_too(editor_client):
    page = PageFactory(title="About", body="We are a practice.")
    data = {"title": "About us", "slug": page.slug, "body": "We are a spine practice.",
            "meta_description": "", "is_published": "on", "menu_order": 0}  # fmt: skip
    assert editor_client.post(f"/admin/articles/page/{page.pk}/change/", data).status_code == 302
    old = Version.objects.get_for_object(page).last()
    editor_client.post(f"/admin/articles/page/{page.pk}/history/{old.pk}/restore/")
    page.refresh_from_db()
    assert (page.title, page.body) == ("About", "We are a practice.")
    listing = html(editor_client.get(f"/admin/articles/page/{page.pk}/history/"))
    assert len(listing.select("li.revision")) == 3
    assert Page.objects.count() == 1


def test_imports_and_tasks_keep_no_revisions(db):
    article = ArticleFactory()
    article.save(update_fields=["featured_image_renditions"])
    assert not Version.objects.get_for_object(article).exists()
    assert UserFactory()  # nothing else to set up: only staff saves in the admin keep revisions


def test_long_unchanged_stretches_are_folded_around_a_change():
    from articles.history import diff_lines

    before = "\n".join(f"line {n}" for n in range(20))
    after = before.replace("line 10", "line ten")
    kinds = [kind for kind, _html in diff_lines(before, after)]
    assert kinds == ["skipped", "same", "same", "removed", "added", "same", "same", "skipped"]
    assert diff_lines(before, after)[0][1] == "… 8 unchanged lines …"
