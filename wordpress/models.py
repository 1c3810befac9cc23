from django.db import models


class WordPressAttachment(models.Model):
    """A file the old WordPress blog showed on a page of its own.

    WordPress linked to such pages as /?attachment_id=<id> and /<post address><file slug>/; those
    addresses now answer with a 301 to the post (or page) the file belonged to, or to the file
    (`old_links`). Written by `import_wordpress`.
    """

    wp_id = models.PositiveBigIntegerField("WordPress attachment id", unique=True)
    slug = models.CharField(max_length=200, blank=True)
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wp_attachments",
    )
    page = models.ForeignKey(
        "articles.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wp_attachments",
    )
    url = models.CharField(
        max_length=500, help_text="Where the file is now: under MEDIA_URL, or its old address."
    )

    class Meta:
        verbose_name = "WordPress attachment"
        indexes = [models.Index(fields=["article", "slug"])]

    def __str__(self):
        return self.slug or self.url


class ImportedVersion(models.Model):
    """What the last import wrote into an article or a page, as a fingerprint (`edits.py`), so
    that the next import can tell whether staff edited the row here since."""

    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wp_imported_version",
    )
    page = models.OneToOneField(
        "articles.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wp_imported_version",
    )
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "WordPress import fingerprint"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=False, page__isnull=True)
                | models.Q(article__isnull=True, page__isnull=False),
                name="imported_version_of_one_row",
            ),
        ]

    def __str__(self):
        return f"{self.article or self.page}: {self.fingerprint[:12]}"
