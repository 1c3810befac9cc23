"""The publish step: buttons that say what happens, a confirmation, a test mail to oneself."""

import datetime
from functools import partial

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article
from subscriptions.models import Delivery, Notification
from tests.articles.test_admin import article_form
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory
from tests.pages import text
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="edna", groups=["Editors"], email="edna@example.org"))
    return client


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def new_article(client, button, **fields):
    data = article_form(AuthorFactory(), CategoryFactory(), **{button: "x"}, **fields)
    return client.post("/admin/articles/article/add/", data)


def test_an_editor_sees_buttons_that_say_what_happens(editor_client):
    form = BeautifulSoup(editor_client.get("/admin/articles/article/add/").content, "html.parser")
    buttons = [b["value"] for b in form.select(".publish-row input[type=submit]")]
    assert buttons == ["Save draft", "Publish now…", "Schedule…"]
    assert form.find(attrs={"name": "status"}) is None
    assert not form.select("input[name=_continue]")
    published = ArticleFactory()
    form = BeautifulSoup(
        editor_client.get(f"/admin/articles/article/{published.pk}/change/").content,
        "html.parser",
    )
    assert [b["value"] for b in form.select(".publish-row input[type=submit]")] == [
        "Update", "Unpublish",
    ]  # fmt: skip


def test_publish_now_asks_first_naming_the_followers(editor_client, smtp_server, committed):
    FollowerFactory.create_batch(3)
    FollowerFactory(status="unsubscribed")
    with committed():
        response = new_article(editor_client, "_publish")
    article = Article.objects.get()
    assert response["Location"] == f"/admin/articles/article/{article.pk}/publish/publish/"
    assert article.status == Article.Status.DRAFT
    assert not Notification.objects.exists() and smtp_server.messages == []

    page = text_of(editor_client.get(response["Location"]))
    assert "“My new article” will appear on the site now" in page
    assert "3 followers will be mailed within a minute" in page

    with committed():
        response = editor_client.post(response["Location"], {"_confirm": "Publish now"})
    article.refresh_from_db()
    assert article.is_public
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    said = text_of(editor_client.get(response["Location"]))
    local = timezone.localtime(article.published_at)
    assert f"Published at {local:%A} {local.day} {local:%B %Y at %H:%M}." in said
    assert "3 followers will be mailed now." in said
    assert smtp_server.wait_for(3)
    assert len(smtp_server.count_to()) == 3


def test_schedule_names_the_time_and_mails_nobody_until_then(editor_client, committed):
    FollowerFactory.create_batch(2)
    at = timezone.localtime() + datetime.timedelta(days=2)
    response = new_article(
        editor_client, "_schedule",
        published_at_0=at.strftime("%Y-%m-%d"), published_at_1=at.strftime("%H:%M:00"),
    )  # fmt: skip
    page = text_of(editor_client.get(response["Location"]))
    assert f"will appear on the site on {at:%A} {at.day} {at:%B %Y} at {at:%H:%M}" in page
    assert "2 followers will be mailed then" in page
    with committed():
        response = editor_client.post(response["Location"], {"_confirm": "Schedule"})
    said = text_of(editor_client.get(response["Location"]))
    assert f"Scheduled for {at:%A} {at.day} {at:%B %Y at %H:%M}" in said
    assert "2 followers will be mailed then." in said
    assert Article.objects.get().is_scheduled
    assert not Delivery.objects.exists()


def test_schedule_needs_a_future_time(editor_client):
    response = new_article(editor_client, "_schedule")
    assert response.status_code == 200
    assert "To schedule, choose a publication time in the future" in text(response, ".errorlist")
    assert not Article.objects.exists()


def test_the_test_email_goes_to_the_staff_member_only_and_records_nothing(
    editor_client, smtp_server, committed, settings
):
    settings.SITE_URL = "http://blog.example.org"
    FollowerFactory.create_batch(2)
    response = new_article(editor_client, "_publish", title="Sleeping with back pain")
    with committed():
        back = editor_client.post(response["Location"], {"_send_test": "Send me a test email"})
    assert back["Location"] == response["Location"]
    assert "A test email is on its way to edna@example.org" in text_of(
        editor_client.get(back["Location"])
    )
    assert smtp_server.wait_for(1)
    assert smtp_server.count_to() == {"edna@example.org": 1}
    [(_, mail)] = smtp_server.messages
    assert mail["Subject"] == "Test: Sleeping with back pain"
    article = Article.objects.get()
    body = mail.get_body(preferencelist=("plain",)).get_content()
    today = timezone.localdate()
    assert f"http://blog.example.org/{today:%Y/%m/%d}/my-new-article/" in body
    assert article.status == Article.Status.DRAFT
    assert not Delivery.objects.exists() and not Notification.objects.exists()


def test_an_article_announced_before_mails_nobody_again(editor_client, smtp_server, committed):
    FollowerFactory()
    with committed():
        article = ArticleFactory(published_at=timezone.now())
    assert smtp_server.wait_for(1)
    with committed():
        editor_client.post(
            f"/admin/articles/article/{article.pk}/change/",
            article_form(article.author, article.category, slug=article.slug, _unpublish="x"),
        )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    page = text_of(editor_client.get(f"/admin/articles/article/{article.pk}/publish/publish/"))
    assert "No followers will be mailed." in page
    with committed():
        editor_client.post(
            f"/admin/articles/article/{article.pk}/publish/publish/", {"_confirm": "x"}
        )
    article.refresh_from_db()
    assert article.is_public
    assert len(smtp_server.messages) == 1


def test_update_keeps_a_published_article_published_and_says_so(editor_client):
    article = ArticleFactory(title="Old title")
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        article_form(
            article.author, article.category, slug=article.slug, title="New title",
            published_at_0=timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
            published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S"),
            _update="Update",
        ),
    )  # fmt: skip
    article.refresh_from_db()
    assert article.title == "New title" and article.is_public
    assert "Updated: the changes are on the site now." in text_of(
        editor_client.get(response["Location"])
    )


def test_an_already_public_article_has_no_confirmation(editor_client):
    article = ArticleFactory()
    response = editor_client.get(f"/admin/articles/article/{article.pk}/publish/publish/")
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert (
        editor_client.get(f"/admin/articles/article/{article.pk}/publish/other/").status_code == 404
    )


def test_the_list_filters_by_derived_status_and_mine(client, author_user):
    me = AuthorFactory(user=author_user)
    editor = UserFactory(username="boss", groups=["Editors"])
    editor.author = AuthorFactory(user=editor)
    ArticleFactory(title="Draft one", status="draft", published_at=None)
    ArticleFactory(title="For review", status="review", published_at=None)
    ArticleFactory(title="Coming soon", published_at=timezone.now() + datetime.timedelta(days=1))
    ArticleFactory(title="Out already")
    ArticleFactory(title="Boss wrote this", author=editor.author)
    client.force_login(editor)

    def titles(query):
        html = BeautifulSoup(client.get(f"/admin/articles/article/?{query}").content, "html.parser")
        return {a.get_text() for a in html.select("#result_list th.field-title a")}

    assert titles("status=draft") == {"Draft one"}
    assert titles("status=review") == {"For review"}
    assert titles("status=scheduled") == {"Coming soon"}
    assert titles("status=published") == {"Out already", "Boss wrote this"}
    assert titles("mine=yes") == {"Boss wrote this"}
    assert titles("q=soon") == {"Coming soon"}
    listing = BeautifulSoup(client.get("/admin/articles/article/").content, "html.parser")
    row = listing.find("a", string="Coming soon").find_parent("tr")
    assert row.select_one(".field-status_label").get_text() == "Scheduled"
    assert row.find("a", string="Preview")
    out = listing.find("a", string="Out already").find_parent("tr")
    assert (
        out.find("a", string="View on site")["href"]
        == Article.objects.get(title="Out already").get_absolute_url()
    )
    assert me  # (an Author exists beside the Editor)
