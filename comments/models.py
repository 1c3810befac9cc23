import hashlib
import re

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.signals import public_content_changed
from guard.hashing import keyed_hash

from .text import render_comment

# Avatar backgrounds: .avatar-0 … .avatar-7 in static/css/site.css.
AVATAR_COLOURS = 8

# What readers comment on, as django-contrib-comments names models in its form's content_type.
# Each has `title`, `get_absolute_url()`, `is_public` and `comments_open`; an article also has
# an author (whose comments get the "Author" badge) and a publication time.
COMMENT_TARGETS = ("articles.article", "articles.page")


def takes_comments(target):
    return target is not None and target._meta.label_lower in COMMENT_TARGETS


def find_target(label, pk):
    """The article or page a comment form names (its content_type and object_pk), or None."""
    if label not in COMMENT_TARGETS or not str(pk or "").isdigit():
        return None
    return apps.get_model(label)._default_manager.filter(pk=int(pk)).first()


def target_key(target):
    """The target's name in the browser's copies of held comments and in cache keys: an
    article's is its id, as it was before pages took comments (browsers keep copies two weeks);
    a page's is "page-<id>"."""
    name = target._meta.model_name
    return str(target.pk) if name == "article" else f"{name}-{target.pk}"


def author_user_id(target):
    """The user whose comments on the target are the author's, or None (pages have none)."""
    author = getattr(target, "author", None)
    return author.user_id if author is not None else None


def email_digest(address):
    """A keyed hash of a normalised address: compares addresses without storing or showing them."""
    return keyed_hash(address.strip().lower(), "comments.email", length=32)


def ip_digest(address):
    """What is kept of a commenter's IP address: a keyed hash, so staff can see that comments
    came from one address (a spammer's run) without anyone seeing or reversing the address."""
    return keyed_hash(address.strip().lower(), "comments.ip", length=16) if address else ""


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """What readers see: approved, with every ancestor approved (kept in `is_public`)."""
        return self.filter(is_public=True, is_removed=False)

    def awaiting_moderation(self):
        """Confirmed (or trusted) comments that wait for staff to approve them."""
        return self.filter(status=Comment.Status.PENDING)

    def for_target(self, target):
        """The comments on one article or page (by a join on the content type, as the pages
        need: its id would cost a query of its own on a cold cache)."""
        return self.filter(
            content_type__app_label=target._meta.app_label,
            content_type__model=target._meta.model_name,
            object_pk=str(target.pk),
        )


class Comment(XtdComment):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Unconfirmed (email not confirmed)"
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    xtdcomment_ptr = models.OneToOneField(
        XtdComment,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        # The default accessor, "comment", would clash with the comment text field.
        related_name="backstory_comment",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )
    text_html = models.TextField(editable=False, default="")
    # django-contrib-comments' own `ip_address` stays empty: only this hash is stored.
    ip_hash = models.CharField(
        "IP address (keyed hash)", max_length=16, blank=True, default="", db_index=True,
        help_text="The same value means the same IP address; the address itself is not kept.",
    )  # fmt: skip
    hold_reason = models.CharField(max_length=200, blank=True)
    # Single-use confirmation: only a hash of the mailed token is kept.
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    wp_id = models.PositiveBigIntegerField(
        "WordPress comment id", null=True, blank=True, unique=True
    )
    # The parent WordPress had: differs from the thread parent when a reply nested deeper than
    # COMMENTS_MAX_DEPTH was attached higher up on import, so nothing about it is lost.
    wp_parent_id = models.PositiveBigIntegerField(
        "WordPress parent comment id", null=True, blank=True, editable=False
    )

    # A plain manager: xtd's always joins users and content types, which few queries here need.
    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["thread_id", "order"]
        verbose_name = "comment"
        verbose_name_plural = "comments"

    def save(self, *args, **kwargs):
        self.derive_fields()
        was_public = bool(self.pk) and Comment.objects.filter(pk=self.pk, is_public=True).exists()
        super().save(*args, **kwargs)
        # Unconfirmed and held comments show nowhere: only a visible one going or coming counts.
        if was_public or self.is_public:
            public_content_changed.send(sender=Comment)

    def derive_fields(self):
        """What is computed from the text and the status, never set: save() and the bulk import
        (comments.importing) both call this."""
        self.text_html = render_comment(self.comment)
        # is_public is derived: own status approved and (for replies) the parent visible.
        # New comments are never visible before they are checked, so this holds for them too.
        if self.status != self.Status.APPROVED:
            self.is_public = False
        self.is_removed = self.status == self.Status.REMOVED

    @property
    def depth(self):
        return self.level + 1

    @property
    def anchor(self):
        return f"c{self.pk}"

    @property
    def initials(self):
        words = re.findall(r"\w+", self.user_name or "")
        return ("".join(w[0] for w in words[:2]) or "?").upper()

    @property
    def avatar_colour(self):
        """Which of the AVATAR_COLOURS classes (site.css) the initials sit on: from the name,
        never from the email address. A class, not a style attribute: the CSP allows none."""
        digest = hashlib.md5((self.user_name or "").encode(), usedforsecurity=False).digest()
        return digest[0] % AVATAR_COLOURS

    def set_status(self, status):
        """Change the status and recompute who in this thread is visible."""
        with transaction.atomic():
            self.status = status
            self.save()
            refresh_thread_visibility(self.thread_id)
            self.refresh_from_db(fields=["is_public"])


def refresh_thread_visibility(thread_id):
    """A comment is public only if it and every ancestor are approved.

    xtd's own pre-save hook copies a parent's visibility onto all its replies (so approving a
    held parent would publish held replies); it is disconnected and this replaces it.
    """
    comments = list(
        Comment.objects.filter(thread_id=thread_id)
        .only("pk", "parent_id", "status", "is_public", "level")
        .order_by("level", "order")
    )
    visible = {}
    changed = []
    for comment in comments:
        own = comment.status == Comment.Status.APPROVED
        parent_ok = comment.parent_id == comment.pk or visible.get(comment.parent_id, False)
        visible[comment.pk] = own and parent_ok
        if comment.is_public != visible[comment.pk]:
            comment.is_public = visible[comment.pk]
            changed.append(comment)
    if changed:
        Comment.objects.bulk_update(changed, ["is_public"])
        # Comments appeared or disappeared: cached pages and comment trees are out of date.
        public_content_changed.send(sender=Comment)
    return changed


class Like(models.Model):
    """One like per reader: a logged-in user, or a browser (its signed cookie's random id)."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    reader = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user"],
                condition=models.Q(user__isnull=False),
                name="one_like_per_user",
            ),
            models.UniqueConstraint(
                fields=["article", "reader"],
                condition=~models.Q(reader=""),
                name="one_like_per_browser",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(reader=""),
                name="like_has_a_reader",
            ),
        ]

    def __str__(self):
        return f"Like of {self.article_id}"


class CommentMailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=CommentMail.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )

    def needing_attention(self):
        S = CommentMail.Status
        return self.filter(status__in=[S.FAILED, S.INTERRUPTED])


class CommentMail(models.Model):
    """One comment mail owed to one address (a thread follower's follow-up, a moderator's
    notice): made once, sent at most once, retried on its own. The record, not the queue."""

    class Kind(models.TextChoices):
        FOLLOWUP = "followup", "Follow-up to a thread follower"
        MODERATION = "moderation", "Moderation notice to staff"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        REFUSED = "refused", "Refused (the address does not exist)"
        FAILED = "failed", "Failed (gave up retrying)"
        INTERRUPTED = "interrupted", "Caught mid-send (may have arrived)"
        SKIPPED = "skipped", "Skipped (no longer wanted)"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    address = models.EmailField(max_length=254)
    # The follower's own comment: its mute link stops the follow-ups.
    follower_comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)  # host:pid of the sender
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommentMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "kind", "address"], name="one_comment_mail_per_address"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.address}"
