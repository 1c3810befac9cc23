"""Medical review that stays current: intervals, the dashboard's lists, the reviewers' weekly
mail (made once per reviewer and week), and what readers and search engines see."""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from articles.models import add_months
from medreview import reminders
from medreview.models import ReviewReminder
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.pages import select, text
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="drlee", email="lee@practice.example")
    return AuthorFactory(name="Dr. Ana Lee", credentials="MD, FAAOS", user=user)


def test_the_dashboard_lists_overdue_and_soon_due_reviews_by_each_article_interval(
    editor_client, reviewer
):
    ArticleFactory(title="Past a year", reviewed_by=reviewer, last_reviewed=days_ago(380))
    ArticleFactory(title="Never reviewed", reviewed_by=reviewer, last_reviewed=None)
    # Every six months: seven months ago is overdue, five and a half months ago is due soon.
    ArticleFactory(
        title="Six-monthly, late", reviewed_by=reviewer, last_reviewed=days_ago(213),
        review_interval_months=6,
    )  # fmt: skip
    ArticleFactory(
        title="Six-monthly, soon", reviewed_by=reviewer, last_reviewed=days_ago(168),
        review_interval_months=6,
    )  # fmt: skip
    ArticleFactory(title="Yearly, soon", reviewed_by=reviewer, last_reviewed=days_ago(350))
    ArticleFactory(title="Yearly, fine", reviewed_by=reviewer, last_reviewed=days_ago(200))
    ArticleFactory(
        title="Two-yearly", reviewed_by=reviewer, last_reviewed=days_ago(400),
        review_interval_months=24,
    )  # fmt: skip
    ArticleFactory(title="Not clinical", reviewed_by=None)

    page = editor_client.get("/admin/")
    overdue = [a.get_text(" ", strip=True) for a in select(page, "#review-overdue li a")]
    soon = [a.get_text(" ", strip=True) for a in select(page, "#review-due li a")]
    assert overdue == ["Never reviewed", "Past a year", "Six-monthly, late"]
    assert soon == ["Yearly, soon", "Six-monthly, soon"]
    assert text(page, "#review-overdue h2") == "Medical review overdue 3"
    late = text(page, "#review-overdue li:nth-child(2)")
    due = add_months(days_ago(380), 12)
    assert late.endswith(
        f"reviewer Dr. Ana Lee, last reviewed {days_ago(380):%-d %B %Y}, due {due:%-d %B %Y}"
    )


def test_a_reviewer_gets_one_mail_a_week_listing_their_overdue_articles(
    reviewer, smtp_server, settings
):
    ArticleFactory(title="Sciatica basics", reviewed_by=reviewer, last_reviewed=days_ago(400))
    ArticleFactory(title="Neck pain at work", reviewed_by=reviewer, last_reviewed=None)
    ArticleFactory(title="Reviewed lately", reviewed_by=reviewer, last_reviewed=days_ago(10))
    no_address = AuthorFactory(name="Dr. Offline")  # no staff account: nobody to mail
    ArticleFactory(reviewed_by=no_address, last_reviewed=None)

    assert reminders.promise() == 1
    assert reminders.send_due() == 1
    [message] = smtp_server.to("lee@practice.example")
    assert message["Subject"] == "Medical review overdue: 2 articles on The Back Story"
    body = body_text(message)
    assert "Dear Dr. Ana Lee" in body
    assert (
        "- Neck pain at work: never reviewed" in body and "Sciatica basics: last reviewed" in body
    )
    assert "Reviewed lately" not in body
    assert "/admin/articles/article/" in body
    row = ReviewReminder.objects.get()
    assert (row.status, row.articles, row.week) == (
        "sent",
        2,
        reminders.week_of(timezone.localdate()),
    )

    # The same week again, however often the task runs: nothing more.
    assert reminders.promise() == 0 and reminders.send_due() == 0
    assert smtp_server.count_to() == {"lee@practice.example": 1}

    # Next week, still overdue: one more.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7)):
        assert reminders.promise() == 1 and reminders.send_due() == 1
    assert smtp_server.count_to() == {"lee@practice.example": 2}


def test_a_review_recorded_after_the_promise_skips_the_mail_and_a_mid_send_row_is_not_resent(
    reviewer, smtp_server
):
    article = ArticleFactory(reviewed_by=reviewer, last_reviewed=days_ago(400))
    reminders.promise()
    article.last_reviewed = timezone.localdate()
    article.save()
    assert reminders.send_due() == 0
    assert ReviewReminder.objects.get().status == ReviewReminder.Status.SKIPPED
    assert smtp_server.count_to() == {}

    ReviewReminder.objects.all().delete()
    article.last_reviewed = days_ago(400)
    article.save()
    reminders.promise()
    ReviewReminder.objects.update(status="sending", claimed_at=timezone.now())  # a worker died
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11)):
        assert reminders.send_due() == 0
    assert ReviewReminder.objects.get().status == ReviewReminder.Status.INTERRUPTED
    assert smtp_server.count_to() == {}


def test_an_unreachable_mail_server_leaves_the_reminder_owed(reviewer, smtp_server):
    ArticleFactory(reviewed_by=reviewer, last_reviewed=None)
    reminders.promise()
    smtp_server.kill()
    assert reminders.send_due() == 0
    assert ReviewReminder.objects.get().status == ReviewReminder.Status.PENDING
    smtp_server.revive()
    assert reminders.send_due() == 1


def test_the_article_says_who_reviewed_it_and_when_apart_from_updated_and_in_json_ld(
    client, reviewer
):
    article = ArticleFactory(
        title="Living with stenosis", reviewed_by=reviewer, last_reviewed=datetime.date(2026, 5, 4),
        published_at=timezone.now() - datetime.timedelta(days=90),
    )  # fmt: skip
    article.tags.create(name="Spinal stenosis", slug="spinal-stenosis")
    type(article).objects.filter(pk=article.pk).update(updated_at=timezone.now())
    page = client.get(article.get_absolute_url())
    assert (
        text(page, ".medical-review")
        == "Medically reviewed by Dr. Ana Lee, MD, FAAOS on 4 May 2026"
    )
    assert text(page, ".entry-meta .updated").startswith("Updated ")
    assert "Medically" not in text(page, ".entry-meta")
    [script] = select(page, 'script[type="application/ld+json"]')
    data = json.loads(script.string)
    assert data["@type"] == "MedicalWebPage"
    assert data["reviewedBy"]["name"] == "Dr. Ana Lee"
    assert data["reviewedBy"]["honorificSuffix"] == "MD, FAAOS"
    assert data["lastReviewed"] == "2026-05-04"
    assert data["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}
    assert data["about"] == [{"@type": "Thing", "name": "Spinal stenosis"}]


def test_staff_set_the_interval_in_the_article_form(editor_client, reviewer):
    article = ArticleFactory(reviewed_by=reviewer, last_reviewed=datetime.date(2026, 1, 31))
    form = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    options = [o.get_text() for o in select(form, "select[name=review_interval_months] option")]
    assert options == [
        "---------",
        "3 months",
        "6 months",
        "12 months",
        "18 months",
        "24 months",
        "36 months",
    ]
    article.review_interval_months = 3
    assert article.review_due_on == datetime.date(2026, 4, 30)
    article.review_interval_months = None
    assert article.review_due_on == datetime.date(2027, 1, 31)
