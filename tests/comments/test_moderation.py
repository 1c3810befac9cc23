"""Moderation buttons, one comment at a time (the comment list and the dashboard)."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.comments.conftest import approved_comment
from tests.factories import UserFactory
from tests.pages import nowhere, text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = UserFactory(username="ed", groups=["Editors"], first_name="Edna", last_name="Marsh")
    client.force_login(user)
    return client


def held(article, text="Does the numbness go away?", **fields):
    comment = approved_comment(article, comment=text, **fields)
    comment.set_status(Comment.Status.PENDING)
    return comment


def moderate(client, comment, decision, capture, **extra):
    with capture(execute=True):
        return client.post(
            f"/admin/comments/comment/{comment.pk}/moderate/", {"decision": decision}, **extra
        )


def test_approve_publishes_a_held_comment_and_returns_to_the_list(
    moderator, published_article, django_capture_on_commit_callbacks
):
    comment = held(published_article, "Walking helped me most.")
    response = moderate(
        moderator, comment, "approve", django_capture_on_commit_callbacks,
        HTTP_REFERER="http://testserver/admin/comments/comment/?status__exact=pending",
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == (
        "http://testserver/admin/comments/comment/?status__exact=pending"
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED and comment.is_public
    messages = moderator.get(response["Location"])
    assert "Earlier Reader’s comment approved." in texts(messages, ".messagelist li")
    article_page = moderator.get(published_article.get_absolute_url())
    assert "Walking helped me most." in text(article_page, ".comment-text")


@pytest.mark.parametrize(
    ("decision", "status"), [("spam", "spam"), ("remove", "removed"), ("hold", "pending")]
)
def test_spam_remove_and_unapprove_go_through_set_status(
    moderator, published_article, django_capture_on_commit_callbacks, decision, status
):
    comment = approved_comment(published_article, comment="Buy cheap pills")
    reply = approved_comment(published_article, parent_id=comment.pk, comment="A reply below")
    moderate(moderator, comment, decision, django_capture_on_commit_callbacks)
    comment.refresh_from_db()
    reply.refresh_from_db()
    assert comment.status == status and not comment.is_public
    assert not reply.is_public  # the thread below is hidden with it
    page = moderator.get(published_article.get_absolute_url())
    assert nowhere(page, "Buy cheap pills") and nowhere(page, "A reply below")


def test_a_script_gets_json_and_the_new_count(
    moderator, published_article, django_capture_on_commit_callbacks
):
    first, _second = held(published_article), held(published_article, "Another")
    response = moderate(
        moderator, first, "approve", django_capture_on_commit_callbacks,
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    assert response.json() == {
        "status": "approved",
        "label": "Approved",
        "message": "Earlier Reader’s comment approved.",
        "waiting": 1,
    }


def test_moderation_needs_a_post_a_known_decision_and_the_permission(
    client, moderator, published_article, django_capture_on_commit_callbacks, author_user
):
    comment = held(published_article)
    url = f"/admin/comments/comment/{comment.pk}/moderate/"
    assert moderator.get(url).status_code == 405
    moderate(moderator, comment, "delete-everything", django_capture_on_commit_callbacks)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    client.force_login(author_user)  # Authors do not moderate
    moderate(client, comment, "approve", django_capture_on_commit_callbacks)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_forms_csrf_token_is_checked(published_article, django_capture_on_commit_callbacks):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(username="ed", groups=["Editors"]))
    comment = held(published_article)
    response = moderate(browser, comment, "approve", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_next_never_leads_off_the_site(
    moderator, published_article, django_capture_on_commit_callbacks
):
    comment = held(published_article)
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            f"/admin/comments/comment/{comment.pk}/moderate/",
            {"decision": "spam", "next": "https://evil.example/"},
            HTTP_REFERER="https://evil.example/page",
        )
    assert response["Location"] == "/admin/comments/comment/"


def test_the_comment_list_has_buttons_on_each_row_inside_its_own_form(moderator, published_article):
    comment = held(published_article, "Row comment")
    html = BeautifulSoup(moderator.get("/admin/comments/comment/").content, "html.parser")
    row = html.find("div", attrs={"data-comment": str(comment.pk)})
    form = row.find_parent("form")
    assert form["id"] == "changelist-form" and form.find("input", {"name": "csrfmiddlewaretoken"})
    buttons = {b.get_text(strip=True): b["formaction"] for b in row.find_all("button")}
    url = f"/admin/comments/comment/{comment.pk}/moderate/"
    assert buttons == {"Approve": url, "Spam": url, "Remove": url}
    assert row.find("a", string="Reply")["href"] == f"/admin/comments/comment/{comment.pk}/reply/"


def test_a_staff_reply_appears_under_the_comment_approved_and_approves_a_held_one(
    moderator, published_article, django_capture_on_commit_callbacks
):
    comment = held(published_article, "Is swimming good for the back?")
    page = moderator.get(f"/admin/comments/comment/{comment.pk}/reply/?next=/admin/")
    shown = text(page, "#content")
    assert "never confirm or suggest that a commenter is a patient" in shown
    assert "Is swimming good for the back?" in shown
    assert "Replying approves this comment" in shown
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            f"/admin/comments/comment/{comment.pk}/reply/",
            {"text": "Swimming is gentle on the spine for most people.", "next": "/admin/"},
        )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    comment.refresh_from_db()
    answer = Comment.objects.get(parent_id=comment.pk, level=1)
    assert comment.status == Comment.Status.APPROVED and comment.is_public
    assert answer.status == Comment.Status.APPROVED and answer.is_public
    assert answer.user_name == "Edna Marsh" and answer.user.username == "ed"
    follow = moderator.get("/admin/")
    assert "Your reply to Earlier Reader is published" in text(follow, ".messagelist")
    article_page = BeautifulSoup(
        moderator.get(published_article.get_absolute_url()).content, "html.parser"
    )
    nested = article_page.select_one(f"#c{comment.pk} > ol.children > #c{answer.pk}")
    assert "Swimming is gentle on the spine" in nested.get_text()


def test_an_empty_or_too_deep_reply_is_refused_with_a_reason(
    moderator, published_article, settings, django_capture_on_commit_callbacks
):
    comment = approved_comment(published_article)
    response = moderator.post(f"/admin/comments/comment/{comment.pk}/reply/", {"text": "   "})
    assert response.status_code == 200
    assert "This field is required." in text(response, ".errorlist")
    settings.COMMENTS_MAX_DEPTH = 1
    page = moderator.get(f"/admin/comments/comment/{comment.pk}/reply/")
    assert "cannot take a reply here" in text(page, "#content")
    response = moderator.post(f"/admin/comments/comment/{comment.pk}/reply/", {"text": "Hello"})
    assert response.status_code == 200
    assert "cannot take a reply here" in text(response, "#content")
    assert Comment.objects.count() == 1
