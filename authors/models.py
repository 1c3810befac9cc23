from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from images.fields import SafeImageField
from markup.render import markdown_to_html, validate_markdown


class Author(models.Model):
    name = models.CharField("display name", max_length=120)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in /author/<slug>/.")
    credentials = models.CharField(
        max_length=60, blank=True, help_text='Shown after the name, e.g. "MD" or "MD, FAAOS".'
    )
    bio = MarkdownxField(blank=True, help_text="Markdown.", validators=[validate_markdown])
    bio_html = models.TextField(blank=True, editable=False)
    photo = SafeImageField(
        upload_to="authors/",
        blank=True,
        max_dimension=800,
        renditions=True,
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Widths of the photo's renditions made so far; the field keeps it current (images.fields).
    photo_renditions = models.JSONField(default=list, blank=True, editable=False)
    x_handle = models.CharField(
        "X (Twitter) handle",
        max_length=15,
        blank=True,
        validators=[RegexValidator(r"^\w{1,15}$", "Letters, digits and underscores, without @.")],
    )
    website = models.URLField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account that writes as this author (Authors group members may edit "
        "only their own articles).",
    )
    # Set by `import_wordpress`: a second import updates this author instead of adding another.
    wp_id = models.PositiveBigIntegerField(
        "WordPress user id", null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.byline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        if self.x_handle:
            self.x_handle = self.x_handle.lstrip("@")
        self.bio_html = markdown_to_html(self.bio)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    @property
    def byline(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def x_url(self):
        return f"https://x.com/{self.x_handle}" if self.x_handle else ""
