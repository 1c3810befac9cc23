from django.db import models
from django.utils import timezone


class ReviewReminderQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            status=ReviewReminder.Status.PENDING, next_attempt_at__lte=now or timezone.now()
        )


class ReviewReminder(models.Model):
    """The weekly mail owed to one medical reviewer: made once per reviewer and week (the
    promise, before anything is sent), then claimed, sent at most once and recorded, as the
    followers' delivery log does."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (nothing overdue any more)"
        FAILED = "failed", "Failed (gave up retrying)"
        INTERRUPTED = "interrupted", "Caught mid-send (may have arrived)"

    reviewer = models.ForeignKey(
        "authors.Author", on_delete=models.CASCADE, related_name="review_reminders"
    )
    week = models.DateField(help_text="The Monday of the week (in the site's time zone).")
    address = models.EmailField(max_length=254)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    articles = models.PositiveSmallIntegerField(
        "overdue articles", default=0, help_text="How many the mail listed."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "reviewer__name"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "week"], name="one_reminder_per_week"),
        ]

    def __str__(self):
        return f"{self.reviewer} · week of {self.week:%d %b %Y}"
