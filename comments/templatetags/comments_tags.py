from django import template
from django.conf import settings
from django.db.models import Count

from ..forms import CommentForm
from ..models import Comment, Like
from ..policy import comments_open
from ..render import render_tree, visible_comments

register = template.Library()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comments_section(context, article):
    request = context["request"]
    comments = visible_comments(article)
    replies_open = comments_open(article)
    max_level = settings.COMMENTS_MAX_DEPTH - 1
    likes = Like.objects.filter(article=article).aggregate(n=Count("pk"))["n"]
    return {
        "request": request,
        "user": request.user,
        "article": article,
        "comment_list": render_tree(comments, article.author.user_id, replies_open, max_level),
        "count": len(comments),
        "likes": likes,
        "open": replies_open,
        "form": CommentForm(article),
    }


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
