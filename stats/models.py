"""Readership figures: counts per article per day, and nothing that could tell readers apart.

The tables hold aggregates only. The two working tables beside them exist only while a day lasts
and only without Redis (with Redis both live there instead): `DailySalt`, the random key that
makes a reader's daily hash, and `SeenReader`, the hashes already counted today. Both are
deleted once the day is over, after which nobody (us included) can tell whether two days'
readers were the same person.
"""

from django.db import models


class ArticleDay(models.Model):
    """One article's readership on one day (in the site's time zone)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="daily_readership"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(
        default=0, help_text="Different readers that day: each one is counted once a day."
    )
    mail_views = models.PositiveIntegerField(
        "views from the new-article mail", default=0, help_text="Opened from a link in our mail."
    )

    class Meta:
        ordering = ["-day", "article"]
        get_latest_by = "day"
        verbose_name = "article's daily figures"
        verbose_name_plural = "daily figures of articles"
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="stats_one_row_per_article_day")
        ]
        indexes = [models.Index(fields=["day"])]
        permissions = [("view_statistics", "Can see readership statistics")]

    def __str__(self):
        return f"{self.article_id} on {self.day}: {self.views} views"


class ReferrerDay(models.Model):
    """Views of an article on one day that came from another site, by that site's host name."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    host = models.CharField(max_length=253)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-views"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "day", "host"], name="stats_one_row_per_referrer_day"
            )
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.host} on {self.day}: {self.views}"


class SearchDay(models.Model):
    """What readers typed into the site's own search on one day, and how often it found nothing."""

    day = models.DateField()
    term = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)
    empty = models.PositiveIntegerField("searches that found nothing", default=0)

    class Meta:
        ordering = ["-day", "-searches"]
        constraints = [
            models.UniqueConstraint(fields=["day", "term"], name="stats_one_row_per_term_day")
        ]

    def __str__(self):
        return f"“{self.term}” on {self.day}: {self.searches}"


class DailySalt(models.Model):
    """Today's random key for readers' hashes (without Redis); deleted when the day is over."""

    day = models.DateField(unique=True)
    value = models.CharField(max_length=64)

    def __str__(self):
        return f"salt of {self.day}"


class SeenReader(models.Model):
    """A reader's hash already counted on `day` (without Redis); deleted after the day.

    The hash covers the article too, so it is one row per reader per article, and it cannot be
    recomputed once the day's salt is gone.
    """

    day = models.DateField()
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "digest"], name="stats_seen_once_a_day")
        ]

    def __str__(self):
        return f"a reader on {self.day}"


class FlushedBatch(models.Model):
    """A batch of counts taken from Redis and written here: applying one twice is refused."""

    name = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.name
