"""The reviewers' weekly mail: who is owed one this week (`promise`), and sending what is owed
(`send_due`). Plain functions: the periodic task calls them, and so do tests.

Exactly once a week per reviewer: the `ReviewReminder` row (unique per reviewer and week) is
the promise, saved before anything is sent; a sender claims it (pending → sending) in its own
transaction, sends, and records it as sent. A row left "sending" (the worker died mid-send) is
flagged for staff, never sent again; a refusal or a broken connection is retried later with
MAIL_RETRY_DELAYS, up to their length.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.selectors import review_overdue
from mailer.compose import build
from mailer.failures import Kind, backoff, classify, schedule_length

from .models import ReviewReminder

logger = logging.getLogger(__name__)

# A claimed row whose outcome is not recorded by then was caught mid-send.
STUCK_AFTER = datetime.timedelta(minutes=10)


def week_of(day):
    """The Monday of `day`'s week: what a reminder is counted by."""
    return day - datetime.timedelta(days=day.weekday())


def overdue_by_reviewer(today=None):
    grouped = defaultdict(list)
    for article in review_overdue(today).select_related("reviewed_by__user"):
        grouped[article.reviewed_by].append(article)
    return grouped


def reviewer_address(reviewer):
    """Where a reviewer's mail goes: the staff account linked to their author profile."""
    user = reviewer.user if reviewer.user_id else None
    return (user.email or "").strip() if user and user.is_active else ""


def promise(today=None):
    """This week's row for every reviewer with overdue articles and an address; returns how
    many were new. Running it again the same week adds nothing."""
    today = today or timezone.localdate()
    made = 0
    for reviewer in overdue_by_reviewer(today):
        address = reviewer_address(reviewer)
        if address:
            _, created = ReviewReminder.objects.get_or_create(
                reviewer=reviewer, week=week_of(today), defaults={"address": address}
            )
            made += created
    return made


def send_due(now=None):
    """Send every owed reminder that is due, over one connection; returns how many were sent."""
    now = now or timezone.now()
    ReviewReminder.objects.filter(
        status=ReviewReminder.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=ReviewReminder.Status.INTERRUPTED)
    due = list(ReviewReminder.objects.due(now).values_list("pk", flat=True))
    if not due:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - nothing was claimed: all wait for the next run
        logger.warning("Reviewer reminders wait: the mail server is unreachable (%s)", error)
        return 0
    try:
        return sum(send_one(pk, connection) for pk in due)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001
            logger.debug("Closing the SMTP connection failed", exc_info=True)


def send_one(pk, connection):
    S = ReviewReminder.Status
    claimed = ReviewReminder.objects.filter(pk=pk, status=S.PENDING).update(
        status=S.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return 0  # another sender has it
    reminder = ReviewReminder.objects.select_related("reviewer").get(pk=pk)
    # Re-checked now: a review recorded since the promise takes the article off the list.
    articles = overdue_by_reviewer().get(reminder.reviewer, [])
    if not articles:
        ReviewReminder.objects.filter(pk=pk).update(status=S.SKIPPED)
        return 0
    context = {
        "reviewer": reminder.reviewer,
        "articles": [
            {
                "title": article.title,
                "last_reviewed": article.last_reviewed,
                "due": article.review_due_on,
                "edit_url": settings.SITE_URL.rstrip("/")
                + reverse("admin:articles_article_change", args=[article.pk]),
            }
            for article in articles
        ],
    }
    message = build("review_reminder", context, reminder.address)
    message.connection = connection
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - every failure is recorded on the row
        failure = classify(error)
        if failure.may_have_arrived:
            status = S.INTERRUPTED  # it may be in their inbox: never twice
        elif failure.kind == Kind.BOUNCED or reminder.attempts >= schedule_length():
            status = S.FAILED
        else:
            status = S.PENDING
        ReviewReminder.objects.filter(pk=pk).update(
            status=status,
            last_error=failure.description,
            next_attempt_at=timezone.now() + backoff(reminder.attempts),
        )
        return 0
    ReviewReminder.objects.filter(pk=pk).update(
        status=S.SENT, sent_at=timezone.now(), articles=len(articles), last_error=""
    )
    return 1
