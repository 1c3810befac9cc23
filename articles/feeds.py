"""Feeds: RSS 2.0 and Atom for the latest articles, site-wide, per category and per author.

`BlogFeed` is what every feed of the site shares: the channel (blog name, absolute links to
SITE_URL, the feed's own address), RSS with the full text in content:encoded as WordPress feeds
carry it, and Atom with <content>. A feed of other things, such as comments, subclasses it, names
its subject in `get_subject()` and says what its items are; `ArticleFeed` is the one for articles.
"""

import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import format_html

from authors.models import Author

from .models import Article, Category, CategoryRedirect, SiteSettings, Tag, TagRedirect
from .seo import absolute_url, image_url, portable_html
from .views import moved_term

FEED_ITEMS = 10


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0, with an item's full HTML in content:encoded when it has any."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomWithContent(Atom1Feed):
    """Atom 1.0, with an entry's full HTML in <content type="html"> when it has any."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass
class Channel:
    """What one request's feed is of: the blog, what it is narrowed to, and its own address.

    Feed objects are shared by every request (the URLconf holds one), so whatever a request
    looks up travels in this object rather than on the feed.
    """

    blog: SiteSettings
    subject: object
    path: str


class BlogFeed(Feed):
    """RSS 2.0 of the blog; `AtomFeed` below turns any subclass into its Atom twin."""

    feed_type = RssWithContent

    def get_object(self, request, *args, **kwargs):
        return Channel(SiteSettings.load(), self.get_subject(**kwargs), request.path)

    def get_subject(self, **kwargs):
        """The category, author or article the feed is narrowed to, or None; 404 if missing."""
        return None

    def title(self, channel):
        return channel.blog.name

    def link(self, channel):
        return absolute_url(reverse("articles:home"))

    def description(self, channel):
        return channel.blog.tagline or channel.blog.name

    def feed_url(self, channel):
        return absolute_url(channel.path)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())


class AtomFeed:
    """Mixed in before a BlogFeed subclass: the same feed as Atom 1.0."""

    feed_type = AtomWithContent

    def subtitle(self, channel):
        return self.description(channel)

    def item_title(self, item):
        # RSS readers take a title as HTML, so Django escapes it once more for them; an Atom
        # title is plain text (type="text") and needs no escaping beyond the XML's own.
        return str(item)


class ArticleFeed(BlogFeed):
    """The latest public articles: a scheduled one appears when its time comes, drafts never."""

    def items(self, channel):
        return (
            self.articles(channel)
            .select_related("author", "category")
            .prefetch_related("tags", "categories")
            .defer("body")
            .order_by("-published_at", "-pk")[:FEED_ITEMS]
        )

    def articles(self, channel):
        return Article.objects.published()

    def item_description(self, article):
        """The summary (and the picture), for readers; content:encoded carries the full text."""
        return _picture(article) + format_html(
            '<p>{}</p><p><a href="{}">Continue reading “{}”</a></p>',
            article.summary,
            self.item_link(article),
            article.title,
        )

    def item_extra_kwargs(self, article):
        if not settings.FEED_FULL_CONTENT:
            return {}
        html = portable_html(article.body_html, self.item_link(article))
        return {"content": _picture(article) + html}

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.last_modified

    def item_author_name(self, article):
        return article.author.byline

    def item_author_link(self, article):
        return absolute_url(article.author.get_absolute_url())

    def item_categories(self, article):
        # The primary category first, then the others it is filed under, then the tags.
        others = [c.name for c in article.categories.all() if c.pk != article.category_id]
        return [article.category.name, *others, *(tag.name for tag in article.tags.all())]

    def item_guid(self, article):
        # Stable when the slug or date changes, so feed readers don't show the article twice.
        host = settings.SITE_DOMAIN.split(":")[0]
        return f"tag:{host},{article.created_at:%Y-%m-%d}:article:{article.pk}"

    def item_guid_is_permalink(self, article):
        return False

    def item_enclosures(self, article):
        """The featured image as the item's enclosure (RSS allows one: the one we have)."""
        if not article.featured_image:
            return []
        try:
            length = article.featured_image.size
        except OSError:
            # The file is missing from storage: an enclosure needs its length, so leave it out.
            return []
        mime_type = mimetypes.guess_type(article.featured_image.name)[0] or "image/jpeg"
        return [Enclosure(image_url(article), str(length), mime_type)]


def _picture(article):
    if not article.featured_image:
        return ""
    return format_html(
        '<p><img src="{}" alt="{}"></p>', image_url(article), article.featured_image_alt
    )


class LatestArticlesFeed(ArticleFeed):
    pass


class LatestArticlesAtomFeed(AtomFeed, LatestArticlesFeed):
    pass


class TermFeed(ArticleFeed):
    """A category's or tag's feed; one whose slug staff changed answers with a 301."""

    model = None
    redirect_model = None

    def __call__(self, request, *args, **kwargs):
        if not self.model.objects.filter(slug=kwargs["slug"]).exists():
            return moved_term(request, self.model, self.redirect_model, kwargs["slug"])
        return super().__call__(request, *args, **kwargs)

    def get_subject(self, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, channel):
        return f"{channel.blog.name} » {channel.subject.name}"

    def link(self, channel):
        return absolute_url(channel.subject.get_absolute_url())


class CategoryFeed(TermFeed):
    model, redirect_model = Category, CategoryRedirect

    def articles(self, channel):
        return super().articles(channel).filed_under(channel.subject)

    def description(self, channel):
        return channel.subject.description or f"Articles filed under {channel.subject.name}"


class CategoryAtomFeed(AtomFeed, CategoryFeed):
    pass


class TagFeed(TermFeed):
    model, redirect_model = Tag, TagRedirect

    def articles(self, channel):
        return super().articles(channel).filter(tags=channel.subject)

    def description(self, channel):
        return f"Articles tagged {channel.subject.name}"


class TagAtomFeed(AtomFeed, TagFeed):
    pass


class AuthorFeed(ArticleFeed):
    def get_subject(self, slug):
        return get_object_or_404(Author, slug=slug)

    def articles(self, channel):
        return super().articles(channel).filter(author=channel.subject)

    def title(self, channel):
        return f"{channel.blog.name} » {channel.subject.name}"

    def link(self, channel):
        return absolute_url(channel.subject.get_absolute_url())

    def description(self, channel):
        return f"Articles by {channel.subject.byline}"


class AuthorAtomFeed(AtomFeed, AuthorFeed):
    pass
