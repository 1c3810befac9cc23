"""Comment mail, sent by the task worker after the request's transaction commits.

Every task re-reads the comment and re-checks that the mail still makes sense, because it may run
minutes later (a retry) or after staff changed something.
"""

import logging

from django.conf import settings
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from articles.seo import absolute_url
from mailer import staff
from mailer.compose import blog_name, build
from mailer.failures import Kind, backoff, classify

from .models import Comment
from .text import excerpt
from .tokens import mute_token, new_confirm_token

logger = logging.getLogger(__name__)
# Comments' own policy: six attempts, spaced by MAIL_RETRY_DELAYS (1, 5, 15 minutes, 1 and 3
# hours with the defaults); a refused address or relay is not tried again.
MAX_ATTEMPTS = 6


def send_all(messages, retry, attempt, *args):
    """Send over one connection; on a temporary failure, enqueue the task again later."""
    if not messages:
        return 0
    try:
        with get_connection(fail_silently=False) as connection:
            return connection.send_messages(messages)
    except Exception as error:
        if classify(error).kind != Kind.TEMPORARY:
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


@task()
def notify_followers(comment_id, attempt=1):
    """Tell everyone following this article's comments about a newly visible comment."""
    comment = Comment.objects.filter(pk=comment_id, is_public=True).first()
    if comment is None:
        return 0
    article = comment.content_object
    writer = (comment.user_email or "").lower()
    followers = {}
    candidates = (
        Comment.objects.for_article(article)
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
    name = blog_name()  # once for the batch, not once per follower
    messages = []
    for address, follower in followers.items():
        mute_url = absolute_url(reverse("comments-mute", args=[mute_token(follower)]))
        messages.append(
            build(
                "comment_followup",
                {
                    "comment": comment,
                    "follower": follower,
                    "article": article,
                    "comment_url": absolute_url(article.get_absolute_url()) + f"#{comment.anchor}",
                    "excerpt": excerpt(comment.comment),
                    "mute_url": mute_url,
                    "blog_name": name,
                },
                address,
                headers={
                    "List-Unsubscribe": f"<{mute_url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    return send_all(messages, notify_followers, attempt, comment_id)


def moderator_addresses():
    """Active staff who may change comments (directly, by group, or as superusers): one query."""
    return staff.with_permission("comments", "change_comment")


@task()
def notify_moderators(comment_id, attempt=1):
    comment = Comment.objects.filter(pk=comment_id, status=Comment.Status.PENDING).first()
    if comment is None:
        return 0
    recipients = moderator_addresses()
    article = comment.content_object
    review_url = absolute_url(reverse("admin:comments_comment_change", args=[comment.pk]))
    name = blog_name()
    messages = [
        build(
            "comment_moderation",
            {
                "comment": comment,
                "article": article,
                "review_url": review_url,
                "queue_url": absolute_url(reverse("admin:comments_comment_changelist"))
                + "?status__exact=pending",
                "excerpt": excerpt(comment.comment, 500),
                "blog_name": name,
            },
            address,
        )
        for address in recipients
    ]
    return send_all(messages, notify_moderators, attempt, comment_id)
