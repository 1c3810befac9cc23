"""Comment mail to many addresses, one row per address (CommentMail): made once, sent once.

Like follower mail (subscriptions.delivery) but smaller: a comment's follow-ups go to a
handful of thread followers, its moderation notice to a few staff. Each row is claimed just
before it is handed to the mail server (pending → sending) and recorded as sent in the same
short transaction that claims the next, so a worker killed mid-send leaves at most one row
"sending", which the sweep flags "caught mid-send" for staff instead of mailing it twice.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone

from articles.seo import absolute_url
from mailer import staff
from mailer.compose import blog_name, build
from mailer.failures import Kind, backoff, classify, describe
from ops import worker as ops_worker
from ops.alerts import raise_alert
from ops.db import durably

from .models import Comment, CommentMail
from .text import excerpt
from .tokens import mute_token

logger = logging.getLogger(__name__)

# Comments' own policy: six attempts, spaced by MAIL_RETRY_DELAYS; a refused address is not
# tried again. Staff hear of a relay problem at the third failed attempt and when a mail is
# given up.
MAX_ATTEMPTS = 6
ALERT_AFTER_ATTEMPTS = 3
INTERRUPTED_ERROR = (
    "The worker stopped while handing this mail to the mail server, so it may or may not have "
    "arrived. It is not sent again automatically."
)


@dataclass
class Result:
    sent: int = 0
    retry_at: object = None


class _Messages:
    """Builds each kind of comment mail for one address; the shared parts once per comment."""

    def __init__(self, comment):
        self.comment = comment
        self.article = comment.content_object
        self.blog_name = blog_name()

    def build(self, row):
        if row.kind == CommentMail.Kind.MODERATION:
            return self.moderation(row.address)
        return self.followup(row)

    def followup(self, row):
        comment, article = self.comment, self.article
        mute_url = absolute_url(
            reverse("comments-mute", args=[mute_token(row.follower_comment or comment)])
        )
        return build(
            "comment_followup",
            {
                "comment": comment,
                "follower": row.follower_comment,
                "article": article,
                "comment_url": absolute_url(article.get_absolute_url()) + f"#{comment.anchor}",
                "excerpt": excerpt(comment.comment),
                "mute_url": mute_url,
                "blog_name": self.blog_name,
            },
            row.address,
            headers={
                "List-Unsubscribe": f"<{mute_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )

    def moderation(self, address):
        comment = self.comment
        return build(
            "comment_moderation",
            {
                "comment": comment,
                "article": self.article,
                "review_url": absolute_url(
                    reverse("admin:comments_comment_change", args=[comment.pk])
                ),
                "queue_url": absolute_url(reverse("admin:comments_comment_changelist"))
                + "?status__exact=pending",
                "excerpt": excerpt(comment.comment, 500),
                "blog_name": self.blog_name,
            },
            address,
        )


def still_wanted(comment, kind):
    if kind == CommentMail.Kind.MODERATION:
        return comment.status == Comment.Status.PENDING
    return comment.is_public


def send_due(comment_id, kind):
    result = Result()
    comment = Comment.objects.filter(pk=comment_id).first()
    rows = list(
        CommentMail.objects.due()
        .filter(comment_id=comment_id, kind=kind)
        .select_related("follower_comment")
        .order_by("pk")
    )
    if not rows:
        return result
    if comment is None or not still_wanted(comment, kind):
        CommentMail.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=CommentMail.Status.SKIPPED
        )
        return result
    messages = _Messages(comment)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        postpone(comment, rows[0], rows[1:], describe(exc), CommentMail.Status.PENDING)
        result.retry_at = next_due(comment_id, kind)
        return result
    accepted = None
    try:
        for index, row in enumerate(rows):
            message = messages.build(row)
            claimed = durably(claim, row, accepted)
            accepted = None
            if not claimed:
                continue
            try:
                connection.send_messages([message])
            except Exception as exc:
                failure = classify(exc)
                if failure.kind == Kind.BOUNCED:
                    durably(finish, row, CommentMail.Status.REFUSED, failure.description)
                elif failure.kind == Kind.DEFERRED:
                    durably(defer, comment, row, failure.description)
                elif failure.may_have_arrived:
                    durably(finish, row, CommentMail.Status.INTERRUPTED, failure.description)
                    alert(comment, failure.description, f"{INTERRUPTED_ERROR}")
                    postpone(comment, None, rows[index + 1 :], failure.description)
                    break
                else:
                    postpone(comment, row, rows[index + 1 :], failure.description)
                    break
                continue
            accepted = row
            result.sent += 1
    finally:
        if accepted is not None:
            durably(record_sent, accepted)
        try:
            connection.close()
        except Exception:
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    result.retry_at = next_due(comment_id, kind)
    return result


def claim(row, after=None):
    now = timezone.now()
    with transaction.atomic():
        if after is not None:
            record_sent(after, now)
        return (
            CommentMail.objects.filter(pk=row.pk, status=CommentMail.Status.PENDING).update(
                status=CommentMail.Status.SENDING, claimed_at=now, claimed_by=ops_worker.claimant()
            )
            == 1
        )


def record_sent(row, now=None):
    CommentMail.objects.filter(
        pk=row.pk, status__in=[CommentMail.Status.SENDING, CommentMail.Status.INTERRUPTED]
    ).update(
        status=CommentMail.Status.SENT,
        sent_at=now or timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )


def finish(row, status, error):
    CommentMail.objects.filter(pk=row.pk, status=CommentMail.Status.SENDING).update(
        status=status, attempts=F("attempts") + 1, last_error=error
    )


def defer(comment, row, error, status=CommentMail.Status.SENDING):
    """This address failed for now: it waits on its own backoff, or is given up."""
    attempts = row.attempts + 1
    changes = {"attempts": F("attempts") + 1, "last_error": error}
    given_up = attempts >= MAX_ATTEMPTS
    if given_up:
        changes["status"] = CommentMail.Status.FAILED
    else:
        changes.update(
            status=CommentMail.Status.PENDING, next_attempt_at=timezone.now() + backoff(attempts)
        )
    updated = CommentMail.objects.filter(pk=row.pk, status=status).update(**changes)
    if updated and given_up:
        alert(comment, error, f"A comment mail was given up after {MAX_ATTEMPTS} attempts.")
    return attempts


def postpone(comment, tried, rest, error, tried_status=CommentMail.Status.SENDING):
    """The relay failed: the row tried counts an attempt; the rows not tried wait as long,
    their attempt counts untouched."""
    attempts = (tried.attempts if tried else max((r.attempts for r in rest), default=0)) + 1
    retry_at = timezone.now() + backoff(attempts)
    if tried is not None:
        durably(defer, comment, tried, error, tried_status)
    durably(
        lambda: CommentMail.objects.filter(
            pk__in=[r.pk for r in rest], status=CommentMail.Status.PENDING
        ).update(next_attempt_at=retry_at, last_error=error)
    )
    if attempts == ALERT_AFTER_ATTEMPTS:
        alert(
            comment,
            error,
            f"The mail server has refused or failed {attempts} times in a row; the comment's "
            "mail waits and is tried again later. Nobody is dropped for the mail server's "
            "problem.",
        )


def next_due(comment_id, kind):
    return (
        CommentMail.objects.filter(
            comment_id=comment_id, kind=kind, status=CommentMail.Status.PENDING
        )
        .aggregate(when=Min("next_attempt_at"))
        .get("when")
    )


def alert(comment, error, summary):
    logger.error("Comment mail for comment %s: %s. %s", comment.pk, error, summary)
    recipients = staff.group_and_admins("Editors")
    url = absolute_url(
        reverse("admin:comments_commentmail_changelist") + f"?comment__id__exact={comment.pk}"
    )
    message = None
    if recipients:
        message = build(
            "comment_mail_problem",
            {"error": error, "summary": summary, "mails_url": url},
            recipients,
            from_email=settings.SERVER_EMAIL,
        )
    return durably(
        raise_alert, "comment mail", "Comment mail could not be sent", summary, error, url, message
    )


def sweep(now=None):
    """Flag rows a dead worker left "sending"; list the (comment, kind) pairs owed mail."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.SUBSCRIPTIONS_SENDING_TIMEOUT)
    caught = [
        row
        for row in CommentMail.objects.filter(status=CommentMail.Status.SENDING)
        if row.claimed_at <= stale or ops_worker.claimant_gone(row.claimed_by)
    ]
    for row in caught:
        CommentMail.objects.filter(pk=row.pk, status=CommentMail.Status.SENDING).update(
            status=CommentMail.Status.INTERRUPTED,
            attempts=F("attempts") + 1,
            last_error=f"The worker sending it stopped.\n{INTERRUPTED_ERROR}",
        )
    return list(
        CommentMail.objects.due(now)
        .order_by("comment_id", "kind")
        .values_list("comment_id", "kind")
        .distinct()
    )
