from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from articles.models import Article
from guard.hashing import keyed_hash


def normalise_email(address):
    """The one spelling of an address we store and compare: trimmed and lower-cased."""
    return (address or "").strip().lower()


def address_hash(address):
    """A keyed one-way fingerprint of an address: what the suppression list keeps.

    Keyed (HMAC) rather than a bare SHA-256 so that the list cannot be reversed by hashing a
    dictionary of likely addresses without the key.
    """
    return keyed_hash(
        normalise_email(address),
        "subscriptions.suppression",
        secret=settings.SUBSCRIPTIONS_HASH_KEY,
    )


class FollowerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Follower.Status.ACTIVE)

    def interested_in(self, articles):
        """Followers who want to hear about any of `articles`: every topic, or a chosen topic
        that one of them is filed under (`Article.objects.in_categories`, the one reading of an
        article's categories)."""
        # Two levels down: the chosen topics are a subquery of the articles' subquery.
        chosen = Follower.topics.through.objects.filter(follower=OuterRef(OuterRef("pk"))).values(
            "category"
        )
        filed = Article.objects.filter(pk__in=articles.values("pk")).in_categories(chosen)
        return self.filter(Q(all_topics=True) | Exists(filed))

    def each_article(self):
        return self.filter(frequency=Follower.Frequency.EACH)

    def weekly(self):
        return self.filter(frequency=Follower.Frequency.WEEKLY)


class Follower(models.Model):
    """Someone who follows the blog by email. Only `active` followers are mailed new articles."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"

    class Source(models.TextChoices):
        FORM = "form", "Subscription form"
        IMPORT = "import", "Imported"

    class Frequency(models.TextChoices):
        EACH = "each", "An email for each new article"
        WEEKLY = "weekly", "One email a week with the week's new articles"

    email = models.EmailField(max_length=254, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    subscribed_at = models.DateTimeField(
        "subscribed", default=timezone.now, help_text="When they asked to follow the blog."
    )
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField("confirmed", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("unsubscribed", null=True, blank=True)
    consent_note = models.TextField(
        blank=True, help_text="How and when this person agreed to receive our mail."
    )
    frequency = models.CharField(
        "how often", max_length=8, choices=Frequency.choices, default=Frequency.EACH
    )
    # Explicit rather than "no topics ticked": a follower whose only chosen category is deleted
    # must not start receiving everything. New categories reach those who chose everything.
    all_topics = models.BooleanField(
        "every topic", default=True, help_text="Every category, including ones added later."
    )
    topics = models.ManyToManyField(
        "articles.Category",
        blank=True,
        related_name="+",
        help_text="The categories they chose, when not every topic.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowerQuerySet.as_manager()

    class Meta:
        ordering = ["-subscribed_at", "-pk"]
        get_latest_by = "subscribed_at"
        indexes = [models.Index(fields=["status", "-subscribed_at"])]
        constraints = [
            # Stored lower-case, so the unique index on email is case-insensitive too.
            models.CheckConstraint(
                condition=Q(email=Lower("email")), name="follower_email_lowercase"
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class Suppression(models.Model):
    """An address that must not be mailed again: a fingerprint only, so it survives erasure."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        ERASED = "erased", "Asked for their data to be erased"

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.address_hash[:12]}…)"

    @classmethod
    def is_suppressed(cls, address):
        return cls.objects.filter(address_hash=address_hash(address)).exists()

    @classmethod
    def record(cls, address, reason):
        """Keep the address from being mailed again; an earlier, more telling reason stays."""
        cls.objects.get_or_create(address_hash=address_hash(address), defaults={"reason": reason})

    @classmethod
    def lift(cls, address):
        cls.objects.filter(address_hash=address_hash(address)).delete()


class NotificationQuerySet(models.QuerySet):
    def with_counts(self):
        S = Delivery.Status
        return self.annotate(
            sent_count=Count("article__deliveries", filter=Q(article__deliveries__status=S.SENT)),
            pending_count=Count(
                "article__deliveries",
                filter=Q(article__deliveries__status__in=[S.PENDING, S.SENDING]),
            ),
            failed_count=Count(
                "article__deliveries",
                filter=Q(article__deliveries__status__in=[S.FAILED, S.BOUNCED]),
            ),
            interrupted_count=Count(
                "article__deliveries", filter=Q(article__deliveries__status=S.INTERRUPTED)
            ),
        )


class Notification(models.Model):
    """The promise to tell followers about one article, made when staff publish it.

    Created in the same transaction as the staff member's save, so the promise survives a lost
    task; `queued_at` is set when one delivery row per active follower has been created, which
    happens once only: re-saving or republishing never notifies again.
    """

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="notification"
    )
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the deliveries to every active follower were made."
    )
    recipients = models.PositiveIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self):
        return f"New article: {self.article}"


class Digest(models.Model):
    """The promise of one weekly digest: the new articles published in [`starts_at`, `ends_at`),
    mailed from `ends_at` on to each weekly follower with at least one in their topics.

    One row per week (unique `ends_at`), and one Delivery per follower and digest: however
    often the sweep that makes it runs, nobody gets the week's digest twice.
    """

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(unique=True, help_text="When it is due.")
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the deliveries to its followers were made."
    )
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ends_at"]
        get_latest_by = "ends_at"

    def __str__(self):
        return self.title

    @property
    def title(self):
        day = timezone.localdate(self.ends_at)
        return f"Weekly digest of {day.day} {day:%B %Y}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        """Owed, due now, to someone still following: what a batch sends."""
        return self.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            follower__status=Follower.Status.ACTIVE,
        )

    def needing_attention(self):
        """Mail that did not go out and will not on its own: staff decide what happens."""
        S = Delivery.Status
        return self.filter(status__in=[S.FAILED, S.BOUNCED, S.INTERRUPTED])


class Delivery(models.Model):
    """One mail owed to one follower, about a new article or a weekly digest: the record of
    what was sent, not the queue."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed (gave up retrying)"
        INTERRUPTED = "interrupted", "Caught mid-send (may have arrived)"
        SKIPPED = "skipped", "Skipped (no longer following)"

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="deliveries")
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="deliveries",
        null=True,
        blank=True,
    )
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="deliveries", null=True, blank=True
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker began handing it to the mail server."
    )
    claimed_by = models.CharField(
        max_length=100, blank=True, help_text="The worker process (host:pid) sending it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["article", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "article"], name="one_delivery_per_follower_and_article"
            ),
            models.UniqueConstraint(
                fields=["follower", "digest"], name="one_delivery_per_follower_and_digest"
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=True, digest__isnull=False)
                | Q(article__isnull=False, digest__isnull=True),
                name="delivery_of_an_article_or_a_digest",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.follower}"

    @property
    def subject(self):
        """What the mail is about: the article's title, or the digest's."""
        return self.article.title if self.article_id else self.digest.title
