"""Comment feeds: the latest approved comments site-wide (/comments/feed/), of one article
(<article URL>feed/) and of one page (<page URL>feed/). Only what readers see on the pages;
never an email or IP address."""

from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.feeds import BlogFeed
from articles.models import Article, Page
from articles.seo import absolute_url

from .models import COMMENT_TARGETS, Comment

FEED_ITEMS = 20


class LatestCommentsFeed(BlogFeed):
    def title(self, channel):
        return f"Comments on {channel.blog.name}"

    def description(self, channel):
        return f"The latest comments on {channel.blog.name}"

    def link(self, channel):
        return absolute_url(reverse("articles:home"))

    def comments(self, channel):
        # On published articles and pages. object_pk is text (any model's key): compared with
        # the ids as text, in the database.
        on_public = Q(pk__in=[])
        for label in COMMENT_TARGETS:
            model = apps.get_model(label)
            public = model.objects.published().values(pk_text=Cast("pk", CharField()))
            on_public |= Q(
                content_type=ContentType.objects.get_for_model(model), object_pk__in=public
            )
        return Comment.objects.visible().filter(on_public)

    def items(self, channel):
        comments = list(
            self.comments(channel)
            .only("pk", "user_name", "text_html", "submit_date", "content_type_id", "object_pk")
            .order_by("-submit_date")[:FEED_ITEMS]
        )
        wanted = defaultdict(set)
        for comment in comments:
            wanted[comment.content_type_id].add(int(comment.object_pk))
        targets = {}
        for type_id, ids in wanted.items():
            model = ContentType.objects.get_for_id(type_id).model_class()
            for pk, target in model.objects.in_bulk(ids).items():
                targets[type_id, pk] = target
        for comment in comments:
            comment.article = targets[comment.content_type_id, int(comment.object_pk)]
        return comments

    def item_title(self, comment):
        return f"{comment.user_name} on “{comment.article.title}”"

    def item_description(self, comment):
        # Rendered and sanitised when the comment was saved: the same HTML the page shows.
        return comment.text_html

    def item_link(self, comment):
        return absolute_url(comment.article.get_absolute_url()) + f"#{comment.anchor}"

    def item_guid(self, comment):
        return self.item_link(comment)

    def item_pubdate(self, comment):
        return comment.submit_date

    def item_author_name(self, comment):
        return comment.user_name


class ArticleCommentsFeed(LatestCommentsFeed):
    def get_subject(self, year, month, day, slug):
        return get_object_or_404(Article.objects.published().at_permalink(year, month, day, slug))

    def title(self, channel):
        return f"Comments on “{channel.subject.title}”"

    def description(self, channel):
        return f"Comments on “{channel.subject.title}” on {channel.blog.name}"

    def link(self, channel):
        return absolute_url(channel.subject.get_absolute_url())

    def comments(self, channel):
        return Comment.objects.for_target(channel.subject).visible()


class PageCommentsFeed(ArticleCommentsFeed):
    def get_subject(self, path):
        return get_object_or_404(Page.objects.published(), path=path)
