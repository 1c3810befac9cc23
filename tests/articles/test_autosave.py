"""Autosave: the form's text kept on the server while staff type, and offered back."""

import json
import uuid

import pytest
from bs4 import BeautifulSoup

from articles.models import Article, Autosave
from pagecache import version
from subscriptions.models import Notification
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/articles/article/autosave/"


def autosave(client, **data):
    return client.post(URL, json.dumps(data), content_type="application/json")


def offer(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    box = page.select_one("[data-autosave-offer]")
    data = page.find("script", id="autosave-data")
    return box, json.loads(data.string) if data else None


def test_autosaving_keeps_a_row_and_changes_nothing_else(editor_client, editor):
    article = ArticleFactory(title="Back pain", body="Saved words.")
    before = version.current()
    fields = {"title": "Back pain", "body": "Words typed but not saved.", "status": "published"}
    response = autosave(editor_client, article=article.pk, fields=fields)
    assert response.status_code == 200
    assert len(response.json()["time"]) == 5  # 14:02
    article.refresh_from_db()
    assert article.body == "Saved words."
    assert version.current() == before
    kept = Autosave.objects.get()
    assert (kept.user, kept.article) == (editor, article)
    assert kept.fields == {"title": "Back pain", "body": "Words typed but not saved."}
    autosave(editor_client, article=article.pk, fields={"body": "Later still."})
    assert Autosave.objects.get().fields == {"body": "Later still."}


def test_a_reopened_form_offers_the_newer_text_until_it_is_discarded(editor_client):
    article = ArticleFactory(body="Saved words.")
    url = f"/admin/articles/article/{article.pk}/change/"
    assert offer(editor_client, url) == (None, None)
    autosave(editor_client, article=article.pk, fields={"body": "Unsaved words."})
    box, data = offer(editor_client, url)
    assert "Restore the text you were writing at" in box.get_text()
    assert data["body"] == "Unsaved words."
    response = editor_client.post(
        URL + "discard/", json.dumps({"article": article.pk}), content_type="application/json"
    )
    assert response.json() == {"discarded": True}
    assert offer(editor_client, url) == (None, None)


def test_saving_the_article_retires_its_autosave(editor_client):
    article = ArticleFactory(body="Saved words.", status=Article.Status.DRAFT, published_at=None)
    autosave(editor_client, article=article.pk, fields={"body": "Typed."})
    data = article_form(article.author, article.category, _draft="Save draft", body="Typed.")
    data["slug"] = article.slug
    editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert not Autosave.objects.exists()


def test_someone_elses_later_save_makes_an_autosave_stale(editor_client, editor, client):
    article = ArticleFactory(body="Saved words.", status=Article.Status.DRAFT, published_at=None)
    autosave(editor_client, article=article.pk, fields={"body": "My unsaved words."})
    other = UserFactory(username="olga", groups=["Editors"])
    client.force_login(other)
    data = article_form(article.author, article.category, _draft="Save draft", body="Hers.")
    data["slug"] = article.slug
    client.post(f"/admin/articles/article/{article.pk}/change/", data)
    client.force_login(editor)
    assert offer(client, f"/admin/articles/article/{article.pk}/change/") == (None, None)


def test_a_new_article_is_autosaved_by_its_draft_key_without_creating_it(editor_client):
    page = BeautifulSoup(editor_client.get("/admin/articles/article/add/").content, "html.parser")
    key = page.find("input", attrs={"name": "_autosave_key"})["value"]
    uuid.UUID(key)
    autosave(editor_client, article=None, key=key, fields={"title": "Half a thought"})
    assert not Article.objects.exists()
    assert not Notification.objects.exists()
    box, data = offer(editor_client, "/admin/articles/article/add/")
    assert box["data-key"] == key and data == {"title": "Half a thought"}

    author, category = AuthorFactory(), CategoryFactory()
    form = article_form(author, category, _draft="Save draft", _autosave_key=key)
    editor_client.post("/admin/articles/article/add/", form)
    assert Article.objects.count() == 1
    assert not Autosave.objects.exists()


def test_only_staff_who_may_edit_the_article_autosave(client, author_user):
    article = ArticleFactory()
    assert autosave(client, article=article.pk, fields={"body": "x"}).status_code == 302
    client.force_login(author_user)
    refused = autosave(client, article=article.pk, fields={"body": "x"})
    assert refused.status_code == 403
    mine = ArticleFactory(author=AuthorFactory(user=author_user))
    assert autosave(client, article=mine.pk, fields={"body": "x"}).status_code == 200
    assert autosave(client, article=None, key="not-a-key", fields={}).status_code == 400
    assert client.get(URL).status_code == 405
    assert Autosave.objects.count() == 1


def test_autosave_requires_the_csrf_token(editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    article = ArticleFactory()
    response = strict.post(
        URL, json.dumps({"article": article.pk, "fields": {}}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Autosave.objects.exists()
