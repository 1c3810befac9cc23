import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from subscriptions.models import Delivery
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.pages import attrs, nowhere, text, texts
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


def held_comment(article, name="Jordan", text="Does the numbness go away?"):
    comment = Comment(
        content_object=article, site_id=1, user_name=name, user_email=f"{name}@example.org",
        comment=text, submit_date=timezone.now(),
    )  # fmt: skip
    comment.save()
    comment.set_status(Comment.Status.PENDING)
    return comment


def panel(html, panel_id):
    section = BeautifulSoup(html, "html.parser").find(id=panel_id)
    return section


def panel_text(html, panel_id):
    section = panel(html, panel_id)
    return " ".join(section.get_text(" ").split()) if section else None


def test_the_dashboard_shows_an_editor_the_work_waiting(editor_client):
    now = timezone.now()
    ArticleFactory(title="Heat or ice?", status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(title="Not for review", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Walking after surgery", published_at=now + datetime.timedelta(days=3))
    published = ArticleFactory(title="Epidural injections")
    held_comment(published, "Jordan", "Is it normal for the pain to return?")
    approved_comment(published, user_name="Already fine")

    html = editor_client.get("/admin/").content.decode()

    assert "Write an article" in texts(html, 'a[href="/admin/articles/article/add/"]')
    review = panel_text(html, "review")
    assert "Heat or ice?" in review and "Not for review" not in review
    scheduled = panel_text(html, "scheduled")
    assert "Walking after surgery" in scheduled
    assert timezone.localtime(now + datetime.timedelta(days=3)).strftime("%-d %B %Y") in scheduled
    held = panel_text(html, "held-comments")
    assert "Comments waiting for moderation 1" in held
    assert "Is it normal for the pain to return?" in held and "Already fine" not in held


def test_the_held_comments_have_approve_spam_remove_and_reply_in_a_csrf_form(editor_client):
    comment = held_comment(ArticleFactory())
    html = editor_client.get("/admin/").content.decode()
    form = panel(html, "held-comments").find("form")
    assert form["method"] == "post"
    assert form["action"] == f"/admin/comments/comment/{comment.pk}/moderate/"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    buttons = {b.get_text(strip=True): b for b in form.find_all("button")}
    assert set(buttons) == {"Approve", "Spam", "Remove"}
    assert {b["value"] for b in buttons.values()} == {"approve", "spam", "remove"}
    reply = form.find("a", string="Reply")
    assert reply["href"] == f"/admin/comments/comment/{comment.pk}/reply/?next=%2Fadmin%2F"


def test_medical_review_overdue_lists_clinical_articles_reviewed_over_a_year_ago(editor_client):
    reviewer = AuthorFactory(name="Dr. Reviewer")
    today = timezone.localdate()
    ArticleFactory(
        title="Overdue", reviewed_by=reviewer, last_reviewed=today - datetime.timedelta(days=400)
    )
    ArticleFactory(title="Never reviewed", reviewed_by=reviewer, last_reviewed=None)
    ArticleFactory(
        title="Recent", reviewed_by=reviewer, last_reviewed=today - datetime.timedelta(days=30)
    )
    ArticleFactory(title="Not clinical", reviewed_by=None, last_reviewed=None)
    due = panel_text(editor_client.get("/admin/").content.decode(), "review-overdue")
    assert "Medical review overdue 2" in due
    assert "Overdue" in due and "Never reviewed" in due
    assert "Recent" not in due and "Not clinical" not in due


def test_the_review_interval_is_a_setting(editor_client, settings):
    settings.MEDICAL_REVIEW_INTERVAL_MONTHS = 1
    ArticleFactory(
        title="Reviewed six weeks ago",
        reviewed_by=AuthorFactory(),
        last_reviewed=timezone.localdate() - datetime.timedelta(days=42),
    )
    assert "Reviewed six weeks ago" in panel_text(
        editor_client.get("/admin/").content.decode(), "review-overdue"
    )


def test_failed_bounced_and_interrupted_deliveries_are_counted_with_a_link(editor_client):
    article = ArticleFactory()
    for status in ["failed", "bounced", "interrupted", "sent", "pending"]:
        Delivery.objects.create(article=article, follower=FollowerFactory(), status=status)
    section = panel(editor_client.get("/admin/").content.decode(), "delivery-problems")
    said = " ".join(section.get_text(" ").split())
    assert "needs you 3" in said
    assert "1 failed" in said and "1 bounced" in said and "1 caught mid-send" in said
    link = section.find("a", string="Open the deliveries")["href"]
    listing = editor_client.get(link)
    assert listing.status_code == 200
    assert "3 deliveries" in text(listing, "#changelist")


def test_an_author_sees_their_own_drafts_and_reviews_not_comments_or_mail(client, author_user):
    me = AuthorFactory(user=author_user)
    ArticleFactory(title="My draft", author=me, status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="My review", author=me, status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(title="Their review", status=Article.Status.REVIEW, published_at=None)
    held_comment(ArticleFactory())
    client.force_login(author_user)
    html = client.get("/admin/").content.decode()
    assert "My draft" in panel_text(html, "drafts")
    review = panel_text(html, "review")
    assert "My review" in review and "Their review" not in review
    assert panel(html, "held-comments") is None
    assert panel(html, "delivery-problems") is None
    assert panel(html, "review-due") is None
    assert "Write an article" in texts(html, 'a[href="/admin/articles/article/add/"]')


def test_each_panel_shows_a_few_rows_and_links_to_all(editor_client):
    ArticleFactory.create_batch(10, status=Article.Status.REVIEW, published_at=None)
    section = panel(editor_client.get("/admin/").content.decode(), "review")
    assert len(section.find_all("li")) == 8
    link = section.find("a", string="All 10 waiting for review")
    assert "status=review" in link["href"]


def test_the_dashboard_runs_a_fixed_number_of_queries(editor_client, django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            article = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
            held_comment(ArticleFactory())
            ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
            ArticleFactory(reviewed_by=AuthorFactory(), last_reviewed=None)
            Delivery.objects.create(article=article, follower=FollowerFactory(), status="failed")

    fill(1)
    editor_client.get("/admin/")  # sessions, content types and permissions cached
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        editor_client.get("/admin/")
    fill(7)
    with django_assert_max_num_queries(len(one)):
        assert editor_client.get("/admin/").status_code == 200


INTERNAL = [
    "django_tasks_database/dbtaskresult", "sites/site", "subscriptions/suppression",
    "subscriptions/delivery", "comments/like",
]  # fmt: skip


def test_internal_models_are_out_of_editors_sight(editor_client):
    for page in ["/admin/", "/admin/articles/article/"]:
        links = attrs(editor_client.get(page), "[href]", "href")
        for path in INTERNAL:
            assert f"/admin/{path}/" not in links, (page, path)
        assert "/admin/articles/article/" in links
        assert "/admin/subscriptions/follower/" in links
    # Their permissions stay: the dashboard's link to the deliveries still opens them.
    assert editor_client.get("/admin/subscriptions/delivery/").status_code == 200
    assert editor_client.get("/admin/subscriptions/").status_code == 200
    assert nowhere(editor_client.get("/admin/subscriptions/"), "Suppressions")


def test_a_superuser_still_reaches_internal_models(client):
    boss = UserFactory(username="boss", is_superuser=True)
    client.force_login(boss)
    links = attrs(client.get("/admin/"), "[href]", "href")
    for path in INTERNAL:
        assert f"/admin/{path}/" in links, path
