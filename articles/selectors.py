"""Read queries that pages, feeds and the sitemap share, each designed to run once.

Plain functions over `Article.objects.published()`, the one definition of what the public may see:
what to read next under an article, and the sidebar's and sitemap's counts. The models keep the
rows; what is read from them, and how, lives here.
"""

import datetime

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncMonth
from django.utils import timezone

from authors.models import Author

from .models import DEFAULT_CATEGORY_SLUG, Article, Category

RELATED_COUNT = 3


def related_articles(article):
    """Public articles that share `article`'s tags or category, the most related first."""
    return (
        Article.objects.published()
        .exclude(pk=article.pk)
        .annotate(relatedness=_relatedness(article))
        .filter(relatedness__gt=0)
        .order_by("-relatedness", "-published_at", "-pk")
    )


def reading_on(article, related_count=RELATED_COUNT):
    """What to read after `article`, in one query: (previous, next, related articles)."""
    public = Article.objects.published()
    at = article.published_at
    before = public.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=article.pk)).order_by(
        "-published_at", "-pk"
    )
    after = public.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=article.pk)).order_by(
        "published_at", "pk"
    )
    related = related_articles(article).values("pk")[:related_count]
    rows = list(
        public.filter(
            Q(pk=Subquery(before.values("pk")[:1]))
            | Q(pk=Subquery(after.values("pk")[:1]))
            | Q(pk__in=related)
        )
        .annotate(relatedness=_relatedness(article))
        .only("title", "slug", "published_at", "status")
    )
    key = article.published_at, article.pk
    # Related articles are fetched too, but none lies between this one and its neighbours.
    prev = max((a for a in rows if (a.published_at, a.pk) < key), key=_order, default=None)
    nxt = min((a for a in rows if (a.published_at, a.pk) > key), key=_order, default=None)
    ranked = sorted(
        (a for a in rows if a.relatedness > 0 and a.pk != article.pk),
        key=lambda a: (a.relatedness, a.published_at, a.pk),
        reverse=True,
    )
    return prev, nxt, ranked[:related_count]


def categories_with_counts():
    """Categories with public articles, each with `public_count` and `last_modified`."""
    return _with_public_articles(Category.objects.all())


def authors_with_counts():
    """Authors with public articles, each with `public_count` and `last_modified`."""
    return _with_public_articles(Author.objects.all())


def archive_months():
    """Months with public articles, newest first: [{"month": date, "count": n}], one query.

    Months begin and end in the site's time zone, as the /<yyyy>/<mm>/ archives do.
    """
    return [
        {"month": row["month"].date(), "count": row["count"]}
        for row in Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    ]


def medical_review_due(today=None):
    """Clinical articles whose medical review is due, the longest overdue first.

    The one rule for "due" (the dashboard and anything else asking use it): a published article
    with a medical reviewer, never reviewed or last reviewed more than
    MEDICAL_REVIEW_INTERVAL_MONTHS ago.
    """
    today = today or timezone.localdate()
    due_before = months_before(today, settings.MEDICAL_REVIEW_INTERVAL_MONTHS)
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, reviewed_by__isnull=False)
        .filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=due_before))
        .select_related("reviewed_by")
        .order_by(F("last_reviewed").asc(nulls_first=True), "pk")
    )


def months_before(day, months):
    """The same day `months` earlier (the month's last day when that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (first_of_next - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


def _with_public_articles(queryset):
    """Rows (categories, authors) of `queryset` with public articles, counted and dated."""
    public = Q(articles__in=Article.objects.published().values("pk"))
    return queryset.annotate(
        public_count=Count("articles", filter=public),
        last_modified=Max(
            Greatest("articles__updated_at", "articles__published_at"), filter=public
        ),
    ).filter(public_count__gt=0)


def _relatedness(article):
    """How related an article is to `article`: a point a shared tag, one for the category."""
    taggings = Article.tags.through.objects
    shared_tags = (
        taggings.filter(
            article_id=OuterRef("pk"),
            tag_id__in=taggings.filter(article_id=article.pk).values("tag_id"),
        )
        .values("article_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    score = Coalesce(Subquery(shared_tags, output_field=IntegerField()), Value(0))
    # Everything lands in "Uncategorized" unless filed: sharing it says nothing.
    if article.category.slug != DEFAULT_CATEGORY_SLUG:
        score += Case(
            When(category_id=article.category_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


def _order(article):
    return article.published_at, article.pk
