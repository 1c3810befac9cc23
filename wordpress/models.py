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
