"""Comment mail, sent by the task worker after the request's transaction commits.

Every task re-reads the comment and re-checks that the mail still makes sense, because it may run
minutes later (a retry) or after staff changed something.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from articles.seo import absolute_url
from mailer import staff
from mailer.compose import build
from mailer.failures import Kind, backoff, classify
from ops import periodic
from ops.db import durably

from . import mail
from .models import Comment, CommentMail
from .text import excerpt
from .tokens import new_confirm_token

logger = logging.getLogger(__name__)
# Comments' own policy: six attempts, spaced by MAIL_RETRY_DELAYS (1, 5, 15 minutes, 1 and 3
# hours with the defaults); a refused address or relay is not tried again.
MAX_ATTEMPTS = 6
# A send that failed on the database is tried again this many seconds later.
DB_RETRY_SECONDS = 5


def send_all(messages, retry, attempt, *args):
    """Send over one connection; on a temporary failure, enqueue the task again later."""
    if not messages:
        return 0
    try:
        with get_connection(fail_silently=False) as connection:
            return connection.send_messages(messages)
    except Exception as error:
        # Only a refused address is final: the relay's problems pass (and a full mailbox empties).
        if classify(error).kind in (Kind.BOUNCED, Kind.UNKNOWN):
            logger.warning("Comment mail refused for good: %s", error)
            return 0
        if attempt >= MAX_ATTEMPTS or not default_task_backend.supports_defer:
            logger.error("Comment mail failed after %s attempts: %s", attempt, error)
            raise
        delay = backoff(attempt)
        retry.using(run_after=timezone.now() + delay).enqueue(*args, attempt + 1)
        logger.warning("Comment mail failed (%s); retrying in %s", error, delay)
        return 0


@task()
def send_confirmation(comment_id, attempt=1):
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.UNCONFIRMED).first()
    if comment is None or not comment.user_email:
        return 0
    token = new_confirm_token(comment)
    article = comment.content_object
    message = build(
        "comment_confirm",
        {
            "comment": comment,
            "article": article,
            "article_url": absolute_url(article.get_absolute_url()),
            "confirm_url": absolute_url(reverse("comments-confirm", args=[token])),
            # Anyone can type any address: the mail must not carry their text beyond a glimpse.
            "excerpt": excerpt(comment.comment, settings.COMMENTS_CONFIRM_QUOTE_CHARS),
            "days": settings.COMMENTS_CONFIRM_MAX_AGE // 86400,
        },
        comment.user_email,
    )
    return send_all([message], send_confirmation, attempt, comment_id)


def followers_of(comment):
    """Who follows the comment's thread: {address: their latest comment}, never its writer."""
    article = comment.content_object
    writer = (comment.user_email or "").lower()
    followers = {}
    candidates = (
        Comment.objects.for_target(article)
        .filter(
            followup=True,
            status__in=[Comment.Status.APPROVED, Comment.Status.PENDING],
            submit_date__lte=comment.submit_date,
        )
        .exclude(pk=comment.pk)
        .order_by("-submit_date")
    )
    for follower in candidates:
        address = (follower.user_email or "").lower()
        if address and address != writer and address not in followers:
            followers[address] = follower
    return followers


def owe(comment, kind, recipients):
    """One CommentMail row per address, once: running this again adds nobody twice."""
    now = timezone.now()
    CommentMail.objects.bulk_create(
        [
            CommentMail(
                comment=comment,
                kind=kind,
                address=address,
                follower_comment=follower,
                next_attempt_at=now,
                created_at=now,
            )
            for address, follower in recipients.items()
        ],
        ignore_conflicts=True,
    )


@task()
def notify_followers(comment_id, attempt=1):
    """Tell everyone following this article's comments about a newly visible comment.

    (`attempt` is accepted for tasks queued before mail became one row per address.)
    """
    comment = Comment.objects.filter(pk=comment_id, is_public=True).first()
    if comment is None:
        return 0
    owe(comment, CommentMail.Kind.FOLLOWUP, followers_of(comment))
    return send_comment_mail.call(comment_id, CommentMail.Kind.FOLLOWUP)


def moderator_addresses():
    """Active staff who may change comments (directly, by group, or as superusers): one query."""
    return staff.with_permission("comments", "change_comment")


@task()
def notify_moderators(comment_id, attempt=1):
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING).first()
    if comment is None:
        return 0
    owe(comment, CommentMail.Kind.MODERATION, dict.fromkeys(moderator_addresses()))
    return send_comment_mail.call(comment_id, CommentMail.Kind.MODERATION)


@task()
def send_comment_mail(comment_id, kind):
    """Send what is due of one comment's mail of one kind, one address at a time, over one
    connection. Each address is its own row: a refused one (550) is dropped alone, a deferred
    one (452) waits on its own backoff, and a relay problem stops the rest until later; an
    address already mailed is never mailed again."""
    try:
        result = mail.send_due(comment_id, kind)
    except (OperationalError, InterfaceError):
        logger.warning("Comment mail for %s failed on the database", comment_id, exc_info=True)
        result = mail.Result(retry_at=timezone.now() + timedelta(seconds=DB_RETRY_SECONDS))
    if result.retry_at is not None:
        durably(enqueue_later, result.retry_at, comment_id, kind)
    return result.sent


def enqueue_later(when, comment_id, kind):
    a_task = send_comment_mail
    if when > timezone.now():
        if not a_task.get_backend().supports_defer:
            return None  # the periodic sweep sends it once it is due
        a_task = a_task.using(run_after=when)
    return a_task.enqueue(comment_id, kind)


def recover():
    """Re-queue comment mail that is owed but has no task; flag rows a dead worker left."""
    found = mail.sweep()
    for comment_id, kind in found:
        send_comment_mail.enqueue(comment_id, kind)
    return found


@task()
def sweep_comment_mail():
    """Every SUBSCRIPTIONS_SWEEP_SECONDS, one chain however many workers started one."""
    if not periodic.claim(sweep_comment_mail, settings.SUBSCRIPTIONS_SWEEP_SECONDS):
        return "another sweep is due"
    return len(recover())


def worker_started(sender, **kwargs):
    """ops.signals.worker_started's receiver: at each worker's start, before its loop."""
    recover()
    periodic.ensure(sweep_comment_mail, settings.SUBSCRIPTIONS_SWEEP_SECONDS)
