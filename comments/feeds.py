"""Comment feeds: the latest approved comments site-wide (/comments/feed/) and of one article
(<article URL>feed/). Only what readers see on the pages; never an email or IP address."""

from django.db.models import CharField
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.feeds import BlogFeed
from articles.models import Article
from articles.seo import absolute_url

from .models import Comment

FEED_ITEMS = 20


class LatestCommentsFeed(BlogFeed):
    def title(self, channel):
        return f"Comments on {channel.blog.name}"

    def description(self, channel):
        return f"The latest comments on {channel.blog.name}"

    def link(self, channel):
        return absolute_url(reverse("articles:home"))

    def comments(self, channel):
        # object_pk is text (any model's key): compared with the ids as text, in the database.
        public = Article.objects.published().values(pk_text=Cast("pk", CharField()))
        return Comment.objects.visible().filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_pk__in=public,
        )

    def items(self, channel):
        comments = list(
            self.comments(channel)
            .only("pk", "user_name", "text_html", "submit_date", "object_pk")
            .order_by("-submit_date")[:FEED_ITEMS]
        )
        articles = Article.objects.in_bulk({int(c.object_pk) for c in comments})
        for comment in comments:
            comment.article = articles[int(comment.object_pk)]
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
        return Comment.objects.for_article(channel.subject).visible()
