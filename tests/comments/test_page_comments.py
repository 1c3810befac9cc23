"""Comments on pages: the same thread, moderation, confirmation, follow-up mail and feeds as
under an article (one path: comments.models.COMMENT_TARGETS); pages that take none show none."""

import json

import feedparser
import pytest

from comments.models import Comment
from comments.policy import approve
from tests.comments.conftest import ORIGIN, approved_comment, comment_data, links_in, path_of
from tests.comments.test_health_guard import DETAILS
from tests.factories import ArticleFactory, PageFactory, UserFactory
from tests.pages import nowhere, one, select, text
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


def confirm_link(inbox, address):
    [message] = inbox.to(address)
    [url] = [u for u in links_in(message) if "/comments/confirm/" in u]
    return url


def test_a_page_comment_is_confirmed_moderated_threaded_followed_and_in_the_feeds(
    client, post_comment, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(username="moderator", email="mod@practice.example", groups=["Editors"])
    page = PageFactory(title="Questions and answers", slug="questions", comments_open=True)
    # An article with the same id: its comments and the page's never mix.
    article = ArticleFactory(pk=page.pk)
    approved_comment(article, user_name="Article Reader", comment="On the article.")
    form = select(client.get("/questions/"), "form.comment-form")
    assert form and "Leave a Reply" in text(client.get("/questions/"), "#comments")

    response = post_comment(page, followup=True, comment="Do you see patients on Saturdays?")
    landing = client.get(response["Location"])
    held = json.loads(one(landing, "#held-comment").string)
    assert held["article"] == f"page-{page.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(confirm_link(smtp_server, "pat@example.org")))
    question = Comment.objects.get(user_email="pat@example.org")
    # A first comment from an address waits for staff, who are told, as under an article.
    assert question.status == Comment.Status.PENDING
    [notice] = smtp_server.to("mod@practice.example")
    assert "Questions and answers" in body_text(notice)
    assert nowhere(client.get("/questions/"), "Saturdays")
    with django_capture_on_commit_callbacks(execute=True):
        approve(question)
    shown = one(client.get("/questions/"), f"li.comment#c{question.pk}")
    assert "Saturdays" in text(shown, ".comment-text")

    smtp_server.clear()
    reply = approved_comment(
        page, user_name="Sam Nurse", user_email="sam@example.org", comment="Yes, until noon."
    )
    reply.parent_id = question.pk
    reply.save()
    from comments.tasks import notify_followers

    notify_followers.enqueue(reply.pk)
    [followup] = smtp_server.to("pat@example.org")
    assert "Yes, until noon." in body_text(followup)
    assert "/questions/#c" in body_text(followup)

    site_feed = feedparser.parse(client.get("/comments/feed/").content)
    assert {e.title for e in site_feed.entries} >= {
        "Pat Reader on “Questions and answers”",
        "Article Reader on “" + article.title + "”",
    }
    page_feed = feedparser.parse(client.get("/questions/feed/").content)
    assert [e.link.rsplit("/", 2)[1] for e in page_feed.entries] == ["questions"] * 2
    assert "On the article." not in client.get("/questions/feed/").content.decode()
    assert nowhere(client.get("/questions/"), "On the article.")


def test_pages_without_comments_show_none_and_closed_or_hidden_pages_refuse_them(
    client, post_comment
):
    contact = PageFactory(slug="contact")
    assert not select(client.get("/contact/"), "#comments")
    assert post_comment(contact).status_code == 200
    assert not Comment.objects.exists()

    closed = PageFactory(slug="old-questions")
    approved_comment(closed, comment="An old answer.")
    page = client.get("/old-questions/")
    assert "An old answer." in text(page, "#comments")
    assert text(page, ".comments-closed") == "Comments are closed."
    assert not select(page, "form.comment-form")

    hidden = PageFactory(slug="draft-page", is_published=False, comments_open=True)
    data = comment_data(hidden)
    assert "published articles and pages only" in text(
        client.post("/comments/post/", data, **ORIGIN), "main"
    )
    assert client.get("/draft-page/feed/").status_code == 404
    assert Comment.objects.count() == 1


def test_the_health_detail_step_under_a_page_keeps_to_that_page(client, post_comment):
    page = PageFactory(title="Ask the nurse", slug="ask", comments_open=True)
    ArticleFactory(pk=page.pk, title="Another article with the same id")
    step = post_comment(page, comment=DETAILS)
    assert text(step, "h1") == "Check your comment before it is posted"
    assert one(step, "main a[href='/ask/']").get_text() == "Back to the page"
    assert one(step, "input[name=content_type]")["value"] == "articles.page"
    assert not Comment.objects.exists()


def test_a_subpage_has_its_comment_feed_below_it_and_other_feeds_keep_their_addresses(client):
    parent = PageFactory(slug="clinic")
    child = PageFactory(slug="επίπεδο-2", parent=parent, comments_open=True)
    approved_comment(child, user_name="Eleni", comment="Ευχαριστώ!")
    feed = feedparser.parse(client.get("/clinic/επίπεδο-2/feed/").content)
    assert [entry.author for entry in feed.entries] == ["Eleni"]
    assert client.get("/clinic/feed/").status_code == 200  # a page without comments: empty
    article = ArticleFactory()
    category = feedparser.parse(client.get(f"/category/{article.category.slug}/feed/").content)
    assert [entry.title for entry in category.entries] == [article.title]
