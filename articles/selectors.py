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

from .models import DEFAULT_CATEGORY_SLUG, REVIEW_INTERVALS, Article, Category, add_months
from .models import public as published

RELATED_COUNT = 3


def related_articles(article):
    """Public articles that share `article`'s tags or category, the most related first.

    Only those are scored: scoring every public article to keep the related ones cost seconds
    at 10,000 articles.
    """
    taggings = Article.tags.through.objects
    shares = Q(
        pk__in=taggings.filter(
            tag_id__in=taggings.filter(article_id=article.pk).values("tag_id")
        ).values("article_id")
    )
    if _category_counts(article):
        shares |= Q(category_id=article.category_id)
    return (
        Article.objects.published()
        .filter(shares)
        .exclude(pk=article.pk)
        .annotate(relatedness=_relatedness(article))
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
    """Categories with public articles, each with `public_count` and `last_modified`.

    Counted as the archives list them (`filed_under`: the primary category or any other), in
    one query: a subquery per figure, so an article in two categories counts once in each.
    """
    filed = (
        Article.objects.published()
        .filed_under(OuterRef("pk"))
        .order_by()
        .annotate(group=Value(1))
        .values("group")
    )
    count = filed.annotate(n=Count("pk")).values("n")
    latest = filed.annotate(at=Max(Greatest("updated_at", "published_at"))).values("at")
    return Category.objects.annotate(
        public_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        last_modified=Subquery(latest),
    ).filter(public_count__gt=0)


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


def _reviewed_before(cutoff):
    """Clinical articles whose next medical review falls due before `cutoff`: never reviewed,
    or last reviewed more than their interval before it (one condition per interval)."""
    default = settings.MEDICAL_REVIEW_INTERVAL_MONTHS
    condition = Q(last_reviewed__isnull=True) | Q(
        review_interval_months__isnull=True, last_reviewed__lt=add_months(cutoff, -default)
    )
    for months in REVIEW_INTERVALS:
        condition |= Q(review_interval_months=months, last_reviewed__lt=add_months(cutoff, -months))
    return (
        Article.objects.filter(status=Article.Status.PUBLISHED, reviewed_by__isnull=False)
        .filter(condition)
        .select_related("reviewed_by")
        .order_by(F("last_reviewed").asc(nulls_first=True), "pk")
    )


def review_overdue(today=None):
    """Clinical articles whose medical review is overdue, the oldest review first: the one rule
    for "overdue" (the dashboard, the reviewers' weekly mail). Clinical: published, with a
    medical reviewer; overdue: never reviewed, or last reviewed longer ago than its interval
    (the article's own, else MEDICAL_REVIEW_INTERVAL_MONTHS)."""
    return _reviewed_before(today or timezone.localdate())


def review_due_soon(today=None):
    """Clinical articles whose review falls due within MEDICAL_REVIEW_DUE_SOON_DAYS, and is
    not overdue yet: the next ones to plan."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.MEDICAL_REVIEW_DUE_SOON_DAYS)
    return _reviewed_before(soon).exclude(pk__in=review_overdue(today).values("pk"))


def _with_public_articles(queryset):
    """Rows (categories, authors) of `queryset` with public articles, counted and dated."""
    public = published("articles__")
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
    if _category_counts(article):
        score += Case(
            When(category_id=article.category_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return score


def _category_counts(article):
    # Everything lands in "Uncategorized" unless filed: sharing it says nothing.
    return article.category.slug != DEFAULT_CATEGORY_SLUG


def _order(article):
    return article.published_at, article.pk
