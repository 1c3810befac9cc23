from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .fields import SafeImageField
from .renditions import rendition_name


class MediaImageQuerySet(models.QuerySet):
    def add_stored(self, name, description="", uploaded_by=None):
        """A library row for an image another field has just stored (a featured image uploaded
        on the article form): the file is shared, not copied. Its renditions are made again
        for the library, at the same names, which is harmless."""
        if not name or self.filter(file=name).exists():
            return None
        return self.create(file=name, description=description[:250], uploaded_by=uploaded_by)

    def described(self):
        """Images that may go into an article: a description is required first."""
        return self.exclude(description="")

    def search(self, words):
        words = (words or "").strip()
        if not words:
            return self
        return self.filter(Q(description__icontains=words) | Q(caption__icontains=words))


class MediaImage(models.Model):
    """One image in the media library: uploaded once, inserted into any article, or chosen as
    an article's featured image (which then points at this same stored file)."""

    file = SafeImageField(
        upload_to="uploads/%Y/%m/",
        renditions=True,
        width_field="width",
        height_field="height",
    )
    # Widths of the WebP/JPEG renditions made so far (images.fields): the library's thumbnails.
    file_renditions = models.JSONField(default=list, blank=True, editable=False)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    description = models.CharField(
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it (its alt text). "
        "Required before the image can go into an article.",
    )
    caption = models.CharField(
        max_length=500, blank=True, help_text="Optional: credit or a line to show under it."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MediaImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        get_latest_by = "uploaded_at"
        indexes = [models.Index(fields=["-uploaded_at"])]
        verbose_name = "image"

    def __str__(self):
        return self.description or f"Image {self.pk} (not described yet)"

    @property
    def url(self):
        return self.file.url

    def markdown(self):
        """What the editor inserts: the description as alt text, never empty."""
        description = " ".join(self.description.split()).replace("[", "(").replace("]", ")")
        return f"![{description}]({self.file.url})"

    def as_json(self):
        thumb = self.file.url
        if self.file_renditions:
            smallest = self.file_renditions[0]
            thumb = default_storage.url(rendition_name(self.file.name, smallest, "jpg"))
        return {
            "id": self.pk,
            "url": self.file.url,
            "thumb": thumb,
            "description": self.description,
            "caption": self.caption,
            "width": self.width,
            "height": self.height,
            "markdown": self.markdown() if self.description else "",
        }
