"""What happens to a comment: open or closed, confirmed or not, held or approved."""

import datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guard.requests import once_per

from . import health, tasks
from .models import Comment
from .text import count_links


def comments_open(target):
    """Whether readers may comment on an article or page now (COMMENTS_CLOSE_AFTER_DAYS counts
    from an article's publication; pages have none, so only staff close them)."""
    if not target.comments_open:
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    published_at = getattr(target, "published_at", None)
    if days and published_at:
        return timezone.now() < published_at + datetime.timedelta(days=days)
    return True


def hold_reason(comment):
    """Why a comment must wait for staff whatever its writer's history, or ''."""
    # Posted despite the form's warning (the only way such a text gets here): staff look first.
    findings = health.scan(comment.comment)
    if findings:
        return health.describe(findings)
    if count_links(comment.comment) > settings.COMMENTS_MAX_LINKS:
        return f"more than {settings.COMMENTS_MAX_LINKS} links"
    text = f"{comment.name} {comment.url} {comment.comment}".lower()
    for word in settings.COMMENTS_BLOCKED_WORDS:
        if word in text:
            return "a blocked word"
    return ""


def on_commit(task, *args):
    transaction.on_commit(partial(task.enqueue, *args))


def accept_new_comment(comment, confirmed_address):
    """Decide a freshly saved comment's fate; queue the mail that follows from it."""
    if comment.user_id and comment.user.is_staff:
        comment.set_status(Comment.Status.APPROVED)
        on_commit(tasks.notify_followers, comment.pk)
    elif confirmed_address:
        address_confirmed(comment)
    elif may_mail_confirmation(comment.user_email):
        on_commit(tasks.send_confirmation, comment.pk)
    # Otherwise the comment stays unconfirmed, unmailed: the poster sees the same page either way.


def may_mail_confirmation(address):
    """At most one confirmation mail per address per COMMENTS_CONFIRM_MAIL_INTERVAL, however
    many comments name it: the form must not be a way to mail anyone, over and over."""
    address = (address or "").strip().lower()
    return bool(address) and once_per(
        "comment-confirm-mail", address, settings.COMMENTS_CONFIRM_MAIL_INTERVAL
    )


def address_confirmed(comment):
    """The writer proved the address: approve, or hold for staff as the policy says."""
    reason = hold_reason(comment)
    if not reason and not has_approved_comment(comment):
        reason = "first comment from this address"
    comment.confirm_token_hash = ""
    comment.hold_reason = reason
    comment.save(update_fields=["confirm_token_hash", "hold_reason"])
    if reason:
        comment.set_status(Comment.Status.PENDING)
        on_commit(tasks.notify_moderators, comment.pk)
    else:
        comment.set_status(Comment.Status.APPROVED)
        on_commit(tasks.notify_followers, comment.pk)


def has_approved_comment(comment):
    return (
        Comment.objects.filter(
            user_email__iexact=comment.user_email, status=Comment.Status.APPROVED
        )
        .exclude(pk=comment.pk)
        .exists()
    )


def approve(comment):
    """Staff approval: publish it (and any approved replies beneath) and tell the followers."""
    was_public = comment.is_public
    comment.set_status(Comment.Status.APPROVED)
    if comment.is_public and not was_public:
        on_commit(tasks.notify_followers, comment.pk)
