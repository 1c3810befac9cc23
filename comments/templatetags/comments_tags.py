from django import template
from django.conf import settings
from django.db.models import Count

from ..forms import CommentForm
from ..models import Comment, Like
from ..policy import comments_open
from ..views import READER_COOKIE, READER_SALT, YEAR

register = template.Library()


def comment_tree(article):
    """The visible comments of an article in one query, in thread order, ready for one loop.

    Each node says how many levels to close after it, so the template renders the nested lists
    without recursion or an include per comment.
    """
    comments = list(
        Comment.objects.for_article(article)
        .visible()
        .select_related("user")
        .order_by("thread_id", "order")
    )
    nodes = []
    for index, comment in enumerate(comments):
        following = comments[index + 1].level if index + 1 < len(comments) else 0
        nodes.append(
            {
                "c": comment,
                "has_children": following > comment.level,
                "closes": range(max(0, comment.level - following)),
                "badge": badge(comment, article),
            }
        )
    return nodes


def badge(comment, article):
    if not comment.user_id:
        return ""
    if comment.user_id == article.author.user_id:
        return "Author"
    return "Practice team" if comment.user.is_staff else ""


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comments_section(context, article):
    request = context["request"]
    nodes = comment_tree(article)
    likes = Like.objects.filter(article=article).aggregate(n=Count("pk"))["n"]
    return {
        "request": request,
        "user": request.user,
        "article": article,
        "nodes": nodes,
        "count": len(nodes),
        "likes": likes,
        "liked": reader_liked(request, article),
        "open": comments_open(article),
        "form": CommentForm(article),
        "max_level": settings.COMMENTS_MAX_DEPTH - 1,
    }


def reader_liked(request, article):
    # Costs a query only for readers who have liked something before.
    if request.user.is_authenticated:
        return Like.objects.filter(article=article, user=request.user).exists()
    reader = request.get_signed_cookie(READER_COOKIE, default="", salt=READER_SALT, max_age=YEAR)
    return bool(reader) and Like.objects.filter(article=article, reader=reader).exists()


@register.simple_tag
def listing_counts(articles):
    """{article pk: {"comments": n, "likes": n}} for a page of articles: one query each."""
    ids = [article.pk for article in articles]
    counts = {pk: {"comments": 0, "likes": 0} for pk in ids}
    visible = (
        Comment.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_pk__in=[str(pk) for pk in ids],
        )
        .visible()
        .order_by()
        .values_list("object_pk")
        .annotate(n=Count("pk"))
    )
    for object_pk, n in visible:
        counts[int(object_pk)]["comments"] = n
    for article_id, n in (
        Like.objects.filter(article_id__in=ids)
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("pk"))
    ):
        counts[article_id]["likes"] = n
    return counts


@register.filter
def get_item(mapping, key):
    return mapping.get(key, {}) if mapping else {}
