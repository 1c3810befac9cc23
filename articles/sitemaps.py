"""The sitemap at /sitemap.xml: public articles, pages, categories and authors, with the time
each last changed. Addresses are absolute on the sites framework's domain (kept on SITE_URL)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Greatest
from django.urls import reverse

from .models import Article, Page
from .selectors import authors_with_counts, categories_with_counts


class BlogSitemap(Sitemap):
    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme


class HomeSitemap(BlogSitemap):
    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        latest = Article.objects.published().aggregate(
            last=Max(Greatest("updated_at", "published_at"))
        )
        return latest["last"]


class ArticleSitemap(BlogSitemap):
    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "status", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.last_modified


class PageSitemap(BlogSitemap):
    def items(self):
        return Page.objects.published().only("path", "updated_at")

    def lastmod(self, page):
        return page.updated_at


class CategorySitemap(BlogSitemap):
    """Categories with public articles; an empty archive is not worth a search engine's visit."""

    def items(self):
        return categories_with_counts().order_by("name")

    def lastmod(self, category):
        return category.last_modified


class AuthorSitemap(BlogSitemap):
    def items(self):
        return authors_with_counts().order_by("name")

    def lastmod(self, author):
        return author.last_modified


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
}
