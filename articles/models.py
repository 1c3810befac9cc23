import datetime
import math
import re

from django.conf import settings
from django.contrib.postgres.search import (
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField
from solo.models import SingletonModel

from education import enrich, readability
from education.models import CareCallout, GlossaryTerm, Reference
from images.fields import SafeImageField
from markup.phones import tel_url
from markup.render import excerpt_from_html, html_to_text, markdown_to_html, validate_markdown

from . import search, signals

# First path segments the site itself answers; a page or article slug may not take them.
RESERVED_SLUGS = frozenset(
    {
        "feed", "page", "category", "tag", "author", "subscribe", "unsubscribe", "comments",
        "admin", "healthz", "static", "media", "markdownx", "preview", "sitemap.xml",
        "robots.txt", "search", "wp-admin", "wp-content", "wp-login.php", "my-data",
        "accounts", "account",
    }
)  # fmt: skip
WORDS_PER_MINUTE = 220

# How often a clinical article's medical review may be set to recur, in months (empty: the
# site's MEDICAL_REVIEW_INTERVAL_MONTHS). A short list, so "review due" stays one query.
REVIEW_INTERVALS = (3, 6, 12, 18, 24, 36)


def add_months(day, months):
    """The same day `months` later (earlier if negative); the month's last day when that month
    is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (first_of_next - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def validate_slug_not_reserved(value):
    if value.lower() in RESERVED_SLUGS or re.fullmatch(r"\d{4}", value):
        raise ValidationError(
            '"%(slug)s" is reserved for the site\'s own addresses (/%(slug)s/ would stop '
            "working); choose another slug.",
            code="reserved",
            params={"slug": value},
        )


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100, unique=True, allow_unicode=True, validators=[validate_slug_not_reserved]
    )
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    # Set by `import_wordpress`: the key that makes a second import update instead of duplicate.
    wp_id = models.PositiveBigIntegerField(
        "WordPress term id", null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


DEFAULT_CATEGORY_SLUG = "uncategorized"


def default_category_id():
    category, _ = Category.objects.get_or_create(
        slug=DEFAULT_CATEGORY_SLUG, defaults={"name": "Uncategorized"}
    )
    return category.pk


class Tag(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    wp_id = models.PositiveBigIntegerField(
        "WordPress term id", null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class SlugRedirect(models.Model):
    """A slug a category or tag had before staff changed it: its old archive answers with a 301."""

    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.slug


class CategoryRedirect(SlugRedirect):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="old_slugs")


class TagRedirect(SlugRedirect):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="old_slugs")


def public(prefix=""):
    """The one definition of what the public may see: published and its time has come.

    As a condition on articles reached through `prefix` ("articles__" from a category), so that
    a count over a join filters the joined rows themselves rather than matching them against a
    subquery of every public article.
    """
    return Q(
        **{
            f"{prefix}status": Article.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(public())

    def scheduled(self):
        """Published with a time still to come: the public sees them from then on."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def editable_by(self, user):
        """What a staff member may open in the admin: Authors only what they wrote."""
        if user.is_superuser or user.has_perm("articles.publish_article"):
            return self
        return self.filter(author__user=user)

    def visible_to(self, user):
        if user.is_authenticated and user.has_perm("articles.view_article"):
            return self
        return self.published()

    def at_permalink(self, year, month, day, slug):
        """The published article at /<year>/<month>/<day>/<slug>/ (the date in TIME_ZONE): the
        one reading of an article's address. A date that does not exist finds nothing.
        Visibility is the caller's: `published().at_permalink(...)`."""
        date = _permalink_date(year, month, day)
        if date is None:
            return self.none()
        return self.filter(status=Article.Status.PUBLISHED, slug=slug, published_at__date=date)

    def formerly_at(self, year, month, day, slug):
        """The published article that had this address before its slug or date changed."""
        date = _permalink_date(year, month, day)
        if date is None:
            return self.none()
        return self.filter(
            status=Article.Status.PUBLISHED, old_urls__date=date, old_urls__slug=slug
        )

    def in_categories(self, categories):
        """Articles filed under any of `categories` (ids, rows or a subquery of ids), as their
        primary category or another: the one place a selection reads several categories at once
        (follower topics, the weekly digest)."""
        # A join, not a subquery of the other categories: `categories` may itself be a subquery
        # reaching out (OuterRef), and it must stay at this query's depth to reach the same row.
        return self.filter(Q(category__in=categories) | Q(categories__in=categories)).distinct()

    def filed_under(self, category):
        """The articles filed under `category`: its primary one or any other (WordPress lets a
        post be in several). A subquery, so an article in it twice is listed once."""
        # Inside a subquery of categories (OuterRef("pk")), the inner one reaches out twice.
        inner = OuterRef(category) if isinstance(category, OuterRef) else category
        others = Article.categories.through.objects.filter(category=inner)
        return self.filter(Q(category=category) | Q(pk__in=others.values("article_id")))

    def for_home(self):
        """The home page's order: pinned (sticky) articles first, as on the old blog."""
        return self.for_listing().order_by("-is_sticky", "-published_at", "-pk")

    def for_listing(self):
        return (
            self.select_related("author", "category")
            .defer("body", "body_html")
            .order_by("-published_at", "-pk")
        )

    def search(self, words):
        """The articles matching `words`, best match first.

        Anything typed is safe: quotes, operators and punctuation are read as in a web search
        engine ("a phrase", -without, or), never as syntax errors. Visibility is the caller's:
        `published().search(words)`. The snippets under each result are `search.add_snippets`'s,
        for the page shown only.
        """
        text = search.clean_query(words)
        if not search.query_stems(text)[0]:
            return self.none()
        if connections[self.db].vendor != "postgresql":
            return search.fallback_search(self, text)
        query = search.text_query(text)
        return (
            self.filter(search_document=query)
            # ts_rank's default weights (A 1.0, B 0.4, C 0.2): one match in the title outranks
            # any number in the body.
            .annotate(search_rank=SearchRank(F("search_document"), query))
            .order_by("-search_rank", "-published_at", "-pk")
        )


def _permalink_date(year, month, day):
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search document is the database's business: loading it would only cost.
        return super().get_queryset().defer("search_document")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Ready for review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=250)
    slug = models.SlugField(
        max_length=200,
        allow_unicode=True,
        validators=[validate_slug_not_reserved],
        help_text="The last part of the article's address.",
    )
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="articles")
    # The primary category (the breadcrumb's, the address of nothing); `categories` holds every
    # category the article is filed under, the primary one included, as WordPress's do.
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="primary_articles",
        default=default_category_id,
        verbose_name="primary category",
        help_text="Shown above the title; one of the categories below.",
    )
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="articles",
        help_text="Every category whose archive lists the article.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    body = MarkdownxField(
        help_text="Markdown. Drag an image into the editor to upload it.",
        validators=[validate_markdown],
    )
    body_html = models.TextField(editable=False, default="")
    # The article's references (education.Reference) as they were when the body was last stored:
    # the page shows them with no query of its own (the post's query budget), and the body
    # links to them. Written only by render_body(), after each change of the references.
    cited = models.JSONField(default=list, blank=True, editable=False)
    excerpt = models.TextField(
        blank=True,
        help_text="A sentence or two for lists and emails; left empty, it is taken "
        "from the start of the body.",
    )
    summary = models.TextField(editable=False, default="")
    meta_description = models.CharField(
        "search and sharing description",
        max_length=300,
        blank=True,
        help_text="What search results and shared links show under the title (about 155 "
        "characters); left empty, the excerpt is used.",
    )
    word_count = models.PositiveIntegerField(editable=False, default=0)
    # Readability of the body, computed on save (education.readability) so that the admin's list
    # shows it without reading the text.
    reading_grade = models.FloatField(
        "reading grade", null=True, blank=True, editable=False,
        help_text="Flesch-Kincaid grade level of the text.",
    )  # fmt: skip
    smog_index = models.FloatField("SMOG index", null=True, blank=True, editable=False)
    featured_image = SafeImageField(
        upload_to="articles/%Y/%m/",
        blank=True,
        renditions=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Widths of the WebP/JPEG renditions made so far, kept current by the field (images.fields).
    featured_image_renditions = models.JSONField(default=list, blank=True, editable=False)
    featured_image_alt = models.CharField(
        "featured image description",
        max_length=250,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required with an image.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="A future time schedules the article: the public sees it from then on.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(
        "last updated", editable=False, help_text="When the text last changed."
    )
    comments_open = models.BooleanField(default=True)
    is_sticky = models.BooleanField(
        "pinned to the top of the home page",
        default=False,
        help_text="Shown first on the home page, above newer articles (WordPress's sticky posts).",
    )
    reviewed_by = models.ForeignKey(
        "authors.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
        verbose_name="medically reviewed by",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="The day the reviewer last checked the article."
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every",
        null=True,
        blank=True,
        choices=[(n, f"{n} months") for n in REVIEW_INTERVALS],
        help_text="How often the reviewer checks it again. Empty: the site's default "
        "(MEDICAL_REVIEW_INTERVAL_MONTHS, 12 months unless set).",
    )
    search_document = models.GeneratedField(
        expression=search.SearchDocument(), output_field=SearchVectorField(), db_persist=True
    )
    wp_id = models.PositiveBigIntegerField(
        "WordPress post id", null=True, blank=True, unique=True, editable=False
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["slug"]),
            # Plus, on PostgreSQL only, a GIN index on search_document (migration 0003).
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_time",
            ),
        ]
        permissions = [("publish_article", "Can publish or schedule articles")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title, allow_unicode=True)[:200] or "article"
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        html = markdown_to_html(self.body)  # rendered once: the counts and the stored body
        plain = enrich.without_markers(html)
        self.word_count = len(html_to_text(plain).split())
        self.summary = self.excerpt.strip() or excerpt_from_html(plain)
        measured = readability.measure_html(plain, longest=0)
        self.reading_grade, self.smog_index = measured.grade, measured.smog
        self.render_body(html)
        # updated_at and the redirects of old addresses: articles.changes, against the saved row.
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.status != self.Status.PUBLISHED or not self.published_at:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        return permalink(self.local_date, self.slug)

    @property
    def review_interval(self):
        """Months between medical reviews: the article's own, else the site's default."""
        return self.review_interval_months or settings.MEDICAL_REVIEW_INTERVAL_MONTHS

    @property
    def review_due_on(self):
        """The day the next medical review falls due; None when it is not a clinical article or
        was never reviewed (then it is due now)."""
        if not (self.reviewed_by_id and self.last_reviewed):
            return None
        return add_months(self.last_reviewed, self.review_interval)

    def render_body(self, html=None):
        """Set the body as readers get it: rendered and sanitised (markup; `html` when the caller
        has just rendered it), with its callouts, links to its references and the explanations
        of its glossary words (education.enrich), and the references it shows (`cited`)."""
        references = list(self.references.all()) if self.pk else []
        self.cited = [reference.as_row() for reference in references]
        self.body_html = enrich.enrich(
            markdown_to_html(self.body) if html is None else html,
            callouts=CareCallout.objects.filter(slug__in=enrich.callout_slugs(self.body)),
            reference_numbers=[reference.number for reference in references],
            glossary=self.glossary_terms(),
        )

    @staticmethod
    def glossary_terms():
        """The glossary entries bodies explain: read once per import, not once per article."""
        terms = GlossaryTerm.objects.filter(explain_to_readers=True)
        cache = signals.import_cache()
        if cache is None:
            return terms
        if "glossary" not in cache:
            cache["glossary"] = list(terms)
        return cache["glossary"]

    @property
    def reference_list(self):
        """The references shown under the article, from `cited` (no query)."""
        return [Reference(**row) for row in self.cited]

    def render_again(self, announce=True):
        """Store the body again after what it draws on changed (its references, a glossary
        entry, a callout), without a save: the text, "last updated" and history stay as they
        are. Public pages are told, as by a save."""
        self.render_body()
        Article.objects.filter(pk=self.pk).update(body_html=self.body_html, cited=self.cited)
        if announce:
            signals.public_content_changed.send(sender=Article)

    def clean(self):
        errors = {}
        if self.featured_image and not self.featured_image_alt.strip():
            errors["featured_image_alt"] = (
                "Describe the featured image for readers who can't see it."
            )
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.published_at and self.slug:
            clash = (
                Article.objects.filter(
                    slug=self.slug,
                    published_at__date=timezone.localdate(self.published_at),
                )
                .exclude(pk=self.pk)
                .exists()
            )
            if clash:
                errors["slug"] = "Another article on the same day already uses this slug."
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_public

    @property
    def last_modified(self):
        """When the public last saw a change: a scheduled article was saved before it appeared."""
        if self.published_at is None:
            return self.updated_at
        return max(self.updated_at, self.published_at)

    @property
    def description(self):
        """What search engines and social cards show: the meta description, else the summary."""
        return self.meta_description.strip() or self.summary

    @property
    def local_date(self):
        return timezone.localtime(self.published_at).date() if self.published_at else None

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))


def permalink(date, slug):
    return reverse(
        "articles:detail",
        kwargs={"year": date.year, "month": f"{date.month:02d}", "day": f"{date.day:02d}",
                "slug": slug},
    )  # fmt: skip


class ArticleRedirect(models.Model):
    """An address a published article had before its slug or date changed."""

    date = models.DateField()
    slug = models.SlugField(max_length=200, allow_unicode=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_urls")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["date", "slug"], name="one_redirect_per_old_url")
        ]

    def __str__(self):
        return permalink(self.date, self.slug)


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


PAGE_PATH_LENGTH = 1000


class Page(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, allow_unicode=True, validators=[validate_slug_not_reserved],
        help_text="The last part of the page's address: /<slug>/, or /<parent>/<slug>/ below "
        "a parent page.",
    )  # fmt: skip
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # A page's subpages would lose their address with it: move or delete them first.
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="parent page",
        help_text="The page this one is below, as in WordPress: its address starts with the "
        "parent's.",
    )
    # The address without its slashes ("level-1/level-2"), computed on save from the parent's:
    # the one column an address is looked up by. Changes (moves, new slugs) keep the old path as
    # a PageRedirect (articles.changes).
    path = models.CharField(max_length=PAGE_PATH_LENGTH, unique=True, editable=False)
    body = MarkdownxField(validators=[validate_markdown])
    body_html = models.TextField(editable=False, default="")
    meta_description = models.CharField(
        "search and sharing description",
        max_length=300,
        blank=True,
        help_text="What search results and shared links show under the title (about 155 "
        "characters); left empty, the blog's tagline is used.",
    )
    is_published = models.BooleanField(default=True)
    menu_order = models.PositiveSmallIntegerField(
        default=0, help_text="Pages appear in the header menu in this order."
    )
    # Pages such as Contact take no comments unless staff open them (WordPress's default too).
    comments_open = models.BooleanField(
        default=False, help_text="Readers may comment under the page, as under an article."
    )
    updated_at = models.DateTimeField(auto_now=True)
    wp_id = models.PositiveBigIntegerField(
        "WordPress page id", null=True, blank=True, unique=True, editable=False
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Pages (Contact, Privacy) are not cited by section: their headings get no "#" link.
        self.body_html = markdown_to_html(self.body, permalinks=False)
        self.path = self.computed_path()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url(self.path)

    @property
    def is_public(self):
        return self.is_published

    def clean(self):
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk is not None and node.pk == self.pk:
                raise ValidationError({"parent": "A page cannot be below itself or its subpages."})
            seen.add(node.pk)
            node = node.parent
        if self.slug and (self.parent is None or self.parent.pk is not None):
            path = self.computed_path()
            if len(path) > PAGE_PATH_LENGTH:
                raise ValidationError({"slug": "This address is too long."})
            if Page.objects.filter(path=path).exclude(pk=self.pk).exists():
                raise ValidationError({"slug": f"Another page is at /{path}/ already."})

    def ancestors(self):
        """The pages above this one, the top first, in one query (none for a top-level page)."""
        parts = self.path.split("/")[:-1]
        paths = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        if not paths:
            return []
        found = {p.path: p for p in Page.objects.filter(path__in=paths).only("title", "path")}
        return [found[path] for path in paths if path in found]

    def computed_path(self):
        if self.parent_id is None:
            return self.slug
        return f"{self.parent.path}/{self.slug}"


def page_url(path):
    return reverse("articles:page", kwargs={"path": path})


class PageRedirect(models.Model):
    """An address a page had before it moved (a new parent, a new slug, or one of its
    ancestors' did): it answers with a 301 to where the page is now."""

    path = models.CharField(max_length=PAGE_PATH_LENGTH, unique=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="old_paths")

    def __str__(self):
        return f"/{self.path}/"


class Autosave(models.Model):
    """Text a staff member was typing in the article form, kept every few seconds while they
    type (static/js/autosave.js) so that nothing is lost to a closed tab or a crash.

    A row of its own, never the article: autosaving changes nothing readers see, publishes
    nothing, mails nobody and leaves the page cache alone. One row per article and user; for
    an article not saved yet ("Add article"), per user and a key the form makes up (`draft_key`),
    so an unfinished new article creates no draft row that lists, dashboards and the address
    checks would have to step around.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="autosaves"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    draft_key = models.UUIDField(null=True, blank=True)
    fields = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=Q(article__isnull=False),
                name="one_autosave_per_article_and_user",
            ),
            models.UniqueConstraint(
                fields=["user", "draft_key"],
                condition=Q(article__isnull=True),
                name="one_autosave_per_new_article_draft",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False) | Q(draft_key__isnull=False),
                name="autosave_has_article_or_draft_key",
            ),
        ]
        indexes = [models.Index(fields=["user", "-saved_at"])]

    def __str__(self):
        return f"Autosave by {self.user} at {self.saved_at:%Y-%m-%d %H:%M}"


class SiteSettingsManager(models.Manager):
    def get_queryset(self):
        # The sidebar shows the featured author's link, the footer the disclaimer and privacy
        # pages' links: read with the row, in the same query.
        return (
            super()
            .get_queryset()
            .select_related("featured_author", "disclaimer_page", "privacy_page")
        )


_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_NAMES = dict(
    zip(
        _DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
_DAY_RANGE = rf"(?:{'|'.join(_DAYS)})(?:-(?:{'|'.join(_DAYS)}))?"
_TIME = r"[0-2]\d:[0-5]\d"
_HOURS_LINE = re.compile(
    rf"^(?P<days>{_DAY_RANGE}(?:,{_DAY_RANGE})*) (?P<opens>{_TIME})-(?P<closes>{_TIME})$"
)


def validate_opening_hours(value):
    for line in value.splitlines():
        if line.strip() and not _HOURS_LINE.match(line.strip()):
            raise ValidationError(
                "Write one period a line as schema.org does, e.g. “Mo-Fr 08:00-17:00” or "
                "“Sa 09:00-12:00”: %(line)s is not like that.",
                params={"line": f"“{line.strip()}”"},
            )


def validate_site_link(value):
    """A call to action goes to a page of this site (/contact/) or an http(s) address."""
    if not (value.startswith("/") and not value.startswith("//")) and not re.match(
        r"^https?://[^\s/]+", value
    ):
        raise ValidationError("Give a path on this site (/contact/) or an https:// address.")


class OpeningHours:
    """One line of the opening hours: as people read it, and as schema.org writes it."""

    def __init__(self, line):
        match = _HOURS_LINE.match(line)
        self.schema = line
        self.opens, self.closes = match["opens"], match["closes"]
        self.days = ", ".join(
            "–".join(_DAY_NAMES[day] for day in part.split("-"))
            for part in match["days"].split(",")
        )

    def __str__(self):
        return f"{self.days}: {self.opens}–{self.closes}"


class SiteSettings(SingletonModel):
    """The blog's name, tagline and sidebar, editable by staff: one row (django-solo).

    Read it with `SiteSettings.load()`. Solo's own cache stays off (settings.SOLO_CACHE): pages
    keep the row in the cached chrome, retired with every other fragment when a save changes
    the content version, in every process alike.
    """

    name = models.CharField("blog name", max_length=100, default="The Back Story")
    tagline = models.CharField(
        max_length=200, blank=True, default="Plain answers about back and neck care"
    )
    featured_author = models.ForeignKey(
        "authors.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text='Whose "Follow me on X" link the sidebar shows.',
    )
    links = MarkdownxField(
        "sidebar links",
        blank=True,
        help_text="Markdown, e.g. a list of links: - [Our practice](https://example.org/)",
        validators=[validate_markdown],
    )
    links_html = models.TextField(editable=False, default="")
    target_grade = models.PositiveSmallIntegerField(
        "target reading grade",
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(18)],
        help_text="The school grade articles should read at; the editor compares each text "
        "with it. Patient materials: about 6 to 8 (AMA and NIH guidance).",
    )

    # The practice behind the blog: its name, how to reach it, and the one thing a reader
    # may want to do next (the call to action). Shown in the header, the footer and the home
    # page's schema.org MedicalClinic data; every field may stay empty.
    practice_name = models.CharField(
        max_length=150, blank=True, help_text="Shown in the footer and given to search engines."
    )
    logo = SafeImageField(
        upload_to="site/",
        blank=True,
        max_dimension=600,
        width_field="logo_width",
        height_field="logo_height",
        help_text="Given to search engines, and shown in the header and footer unless a logo "
        "for dark backgrounds is set. A square or wide PNG, shown 40 px high.",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_on_dark = SafeImageField(
        "logo for dark backgrounds",
        upload_to="site/",
        blank=True,
        max_dimension=600,
        width_field="logo_on_dark_width",
        height_field="logo_on_dark_height",
        help_text="Optional: a light variant for the dark header and footer.",
    )
    logo_on_dark_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_on_dark_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="As patients should read it, e.g. (505) 555-0142: a tap on a phone calls it.",
    )
    email = models.EmailField(blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    address_locality = models.CharField("town or city", max_length=100, blank=True)
    address_region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    address_country = models.CharField(
        "country", max_length=2, blank=True, help_text="Two letters, e.g. US."
    )
    opening_hours = models.TextField(
        blank=True,
        validators=[validate_opening_hours],
        help_text="One period a line, e.g. “Mo-Fr 08:00-17:00”, “Sa 09:00-12:00”.",
    )
    cta_label = models.CharField(
        "call to action", max_length=60, blank=True, default="Request an appointment"
    )
    cta_url = models.CharField(
        "call to action link",
        max_length=300,
        blank=True,
        validators=[validate_site_link],
        help_text="Where the header's button goes: /contact/ or https://… (empty: no button).",
    )
    disclaimer = models.CharField(
        "footer disclaimer",
        max_length=300,
        blank=True,
        default="General information, not medical advice. In an emergency call your local "
        "emergency number.",
    )
    disclaimer_page = models.ForeignKey(
        Page,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="medical disclaimer page",
    )
    privacy_page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SiteSettingsManager()

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    @property
    def practice(self):
        """The practice's name, or the blog's where none is set."""
        return self.practice_name or self.name

    @property
    def header_logo(self):
        """The logo the dark header and footer show."""
        return self.logo_on_dark or self.logo

    @property
    def header_logo_size(self):
        if self.logo_on_dark:
            return self.logo_on_dark_width, self.logo_on_dark_height
        return self.logo_width, self.logo_height

    @property
    def phone_url(self):
        return tel_url(self.phone, self.address_country or None)

    @property
    def hours(self):
        return [
            OpeningHours(line.strip()) for line in self.opening_hours.splitlines() if line.strip()
        ]

    @property
    def address_lines(self):
        town = " ".join(
            part for part in (self.address_locality, self.address_region, self.postal_code) if part
        )
        if self.address_locality and (self.address_region or self.postal_code):
            town = f"{self.address_locality}, " + " ".join(
                part for part in (self.address_region, self.postal_code) if part
            )
        return [line for line in (self.street_address, town) if line]

    def save(self, *args, **kwargs):
        self.links_html = markdown_to_html(self.links)
        super().save(*args, **kwargs)  # always as row 1

    @classmethod
    def load(cls):
        """The one row (made with its defaults if it is missing)."""
        return cls.get_solo()
