from django.db import models


class FeedQuerySet(models.QuerySet):
    def failing(self):
        """Active feeds whose last fetch failed (they still show their last good items)."""
        return self.filter(active=True).exclude(last_error="")


class Feed(models.Model):
    """An RSS or Atom feed of another site (a professional society's news) that staff chose to
    show in the sidebar. Fetched by the server (news.fetching), never by readers' browsers."""

    name = models.CharField(max_length=80, help_text="Shown beside each item, e.g. “NASS”.")
    url = models.URLField("feed address", max_length=500, unique=True)
    active = models.BooleanField(default=True, help_text="Untick to stop fetching and showing it.")
    last_success_at = models.DateTimeField("last fetched", null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Item(models.Model):
    """One entry of a feed as last fetched successfully: plain text, a link out, a date."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    link = models.URLField(max_length=1000)
    published_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="one_item_per_feed_guid")
        ]
        indexes = [models.Index(fields=["-published_at"], name="news_item_newest")]

    def __str__(self):
        return self.title
