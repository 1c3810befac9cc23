import time

from django import template
from django.conf import settings
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils.safestring import mark_safe

from articles.models import Article

from ..forms import CommentForm
from ..models import Comment, Like, author_user_id, target_key
from ..policy import comments_open
from ..render import render_tree, visible_comments
from ..staff import staff_name

register = template.Library()


def cached_tree(request, article, replies_open):
    """The rendered comment list and its count, kept until any visible comment changes."""
    author_user = author_user_id(article)

    def build():
        comments = visible_comments(article)
        max_level = settings.COMMENTS_MAX_DEPTH - 1
        return str(render_tree(comments, author_user, replies_open, max_level)), len(comments)

    # The zone is in the key: the tree's times are rendered in it (comments.render.time_html).
    html, count = request.fragments.fetch(
        "comment_tree",
        build,
        target_key(article),
        int(replies_open),
        author_user,
        settings.TIME_ZONE,
    )
    return mark_safe(html), count


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comments_section(context, article, wrapped=False):
    """The comments under an article or a page (and an article's likes); `wrapped`: in their
    own comments area, which the page's template does not draw."""
    request = context["request"]
    replies_open = comments_open(article)
    comment_list, count = cached_tree(request, article, replies_open)
    likes = None  # readers like articles; a page has comments only
    if isinstance(article, Article):
        likes = Like.objects.filter(article=article).aggregate(n=Count("pk"))["n"]
    # When the count was taken: the page may be served from a cache for a while, and a reader
    # who liked the article since then is shown the count their own like returned (comments.js).
    counted_at = f"{time.time():.3f}"
    return {
        "request": request,
        "user": request.user,
        "article": article,
        "target_key": target_key(article),
        "comment_list": comment_list,
        "count": count,
        "likes": likes,
        "counted_at": counted_at,
        "open": replies_open,
        # Under an article always (with its likes); under a page when it has or takes comments.
        "shown": likes is not None or replies_open or count,
        "wrapped": wrapped,
        "form": CommentForm(article),
    }


@register.simple_tag
def listing_counts(articles):
    """{article pk: {"comments": n, "likes": n}} for a page of articles, in one query."""
    ids = [article.pk for article in articles]
    comments = (
        Comment.objects.visible()
        .filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_pk=Cast(OuterRef("pk"), CharField()),
        )
        .order_by()
        .values("object_pk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    likes = (
        Like.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Article.objects.filter(pk__in=ids)
        .annotate(
            comment_count=Coalesce(Subquery(comments), 0),
            like_count=Coalesce(Subquery(likes), 0),
        )
        .values_list("pk", "comment_count", "like_count")
    )
    return {pk: {"comments": c, "likes": n} for pk, c, n in rows}


@register.filter
def signature(user):
    """The name a staff member's comments are signed with (never the login name)."""
    return staff_name(user)


@register.filter
def target_kind(target):
    """ "article" or "page": what a comment is under, in words."""
    return target._meta.verbose_name


@register.filter
def thousands(number):
    return f"{number:,}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, {}) if mapping else {}
