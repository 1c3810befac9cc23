"""What staff do to comments from the admin: moderate one, or reply under it.

The admin's buttons and the dashboard call these; the status itself changes only through
`policy.approve` and `Comment.set_status`, which keep threads' visibility and the mail right.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import health, policy
from .models import Comment

# What each moderation button does, and how its outcome is worded.
DECISIONS = {
    "approve": (Comment.Status.APPROVED, "approved"),
    "spam": (Comment.Status.SPAM, "marked as spam"),
    "remove": (Comment.Status.REMOVED, "removed"),
    "hold": (Comment.Status.PENDING, "held for moderation"),
}


class ReplyRefused(Exception):
    """Why a staff reply cannot be placed under this comment (a sentence for staff)."""


class HealthWarning(ReplyRefused):
    """The reply looks as if it discloses someone's health details or care: staff see what was
    found and post it only if they confirm (`confirmed=True`)."""

    def __init__(self, findings):
        super().__init__(health.describe(findings))
        self.findings = findings


def moderate(comment, decision):
    """Apply one moderation decision ("approve", "spam", "remove", "hold"); returns its wording."""
    status, wording = DECISIONS[decision]
    if status == Comment.Status.APPROVED:
        policy.approve(comment)  # publishes it and tells the thread's followers
    else:
        comment.set_status(status)
    return wording


def can_reply_to(comment):
    return comment.status in (Comment.Status.PENDING, Comment.Status.APPROVED) and (
        comment.depth < settings.COMMENTS_MAX_DEPTH
    )


# A staff member with neither an author profile nor a first and last name: the login name is
# an account's secret half, never a public signature.
STAFF_FALLBACK_NAME = "The practice team"


def staff_name(user):
    """The name a staff member's comments are signed with: their author profile's display
    name, else their first and last name, never their login name."""
    author = getattr(user, "author", None)
    return ((author.name if author else "") or user.get_full_name()).strip() or (
        STAFF_FALLBACK_NAME
    )


def reply(parent, user, text, confirmed=False):
    """A staff member's public reply under `parent`, approved at once; returns the reply.

    Unless `confirmed`, a reply in which the health-detail guard finds anything (details,
    words confirming the commenter's care, a quotation of their comment) is refused with a
    `HealthWarning` naming what it found.

    Replying to a comment that waits for moderation approves it first (as WordPress's
    "Approve and reply" does): a reply under a hidden comment would be hidden too.
    """
    text = text.strip()
    if not text:
        raise ReplyRefused("Write something before replying.")
    if len(text) > settings.COMMENTS_MAX_CHARS:
        raise ReplyRefused(
            f"Replies may be at most {settings.COMMENTS_MAX_CHARS:,} characters; "
            f"this one has {len(text):,}."
        )
    if not can_reply_to(parent):
        if parent.depth >= settings.COMMENTS_MAX_DEPTH:
            raise ReplyRefused(
                f"Replies nest only {settings.COMMENTS_MAX_DEPTH} levels deep; reply to an "
                "earlier comment in this conversation instead."
            )
        raise ReplyRefused("Only approved comments, or comments waiting for you, take replies.")
    if not confirmed and (findings := health.scan(text, staff=True, replying_to=parent.comment)):
        raise HealthWarning(findings)
    with transaction.atomic():
        if parent.status != Comment.Status.APPROVED:
            policy.approve(parent)
        answer = Comment(
            content_type_id=parent.content_type_id,
            object_pk=parent.object_pk,
            site_id=parent.site_id,
            parent_id=parent.pk,
            user=user,
            user_name=staff_name(user)[:50],
            user_email=user.email,
            comment=text,
            submit_date=timezone.now(),
            status=Comment.Status.UNCONFIRMED,
            is_public=False,
        )
        answer.save()
        # Staff comments are approved on arrival and the thread's followers are told.
        policy.accept_new_comment(answer, confirmed_address=False)
    return answer
