"""Addresses the old WordPress blog handed out besides its permalinks, and where they lead now.

Links in search engines, old emails and other sites keep working with a 301: /?p=<id>,
/?page_id=<id>, /?attachment_id=<id>, /?cat=<id or slug>, /?category_name=<slug>,
/?tag=<slug>, /?author=<id>, /?m=YYYY[MM[DD]], /?feed=rss2 and /?feed=atom (alone or with an
archive's key: that archive's feed), the addresses WordPress
served under a post (its attachments' pages, /amp/, /embed/, /trackback/, /<n>/ for its pages),
and a subcategory's /category/<parent>/<child>/.
Only what the public may see is redirected to; anything else answers 404, so a draft's id reveals
nothing. The query-string links are answered by `middleware` (on the home page, whose address
they share), the others by `views` at the addresses `urls` routes before the articles' own.
"""

import datetime

from django.http import Http404
from django.urls import reverse

from articles.models import Article, Category, CategoryRedirect, Page, Tag, TagRedirect
from authors.models import Author

from .models import WordPressAttachment

# The order WordPress itself checks them in when a link carries several.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "category_name", "tag", "author", "m")
# What WordPress serves below a post's address that is still the post.
POST_SUFFIXES = frozenset({"amp", "embed", "trackback"})
# ?feed=: WordPress's names of its feeds (an empty value is its default, RSS 2.0).
RSS_FEEDS = frozenset({"", "rss2", "rss", "rdf"})
ATOM_FEEDS = frozenset({"atom"})
COMMENT_FEEDS = frozenset({"comments-rss2", "comments-atom"})
# The archives that have feeds here (ours add "feed/" to the archive's address).
ARCHIVES_WITH_FEEDS = frozenset({"cat", "category_name", "tag", "author"})


def redirect_for_query(params):
    """The address /?p=<id> and its kin now live at; None when `params` holds none of them.

    Raises Http404 when the id names nothing public.
    """
    key = next((k for k in QUERY_KEYS if k in params), None)
    feed = params.get("feed")
    if key is None:
        # A search's feed (/?s=x&feed=rss2) is not built: the search itself answers.
        return None if feed is None or "s" in params else _site_feed(feed.strip().lower())
    value = params[key].strip()
    if len(value) > 200:
        raise Http404("No such WordPress address.")
    url = LOOKUPS[key](value)
    if url is None:
        raise Http404("Nothing public has this WordPress address.")
    if feed is not None and key in ARCHIVES_WITH_FEEDS:
        kind = feed.strip().lower()
        if kind in RSS_FEEDS:
            return url + "feed/"
        if kind in ATOM_FEEDS:
            return url + "feed/atom/"
        raise Http404("No such feed.")
    return url


def _site_feed(kind):
    if kind in RSS_FEEDS:
        return reverse("articles:feed")
    if kind in ATOM_FEEDS:
        return reverse("articles:feed-atom")
    if kind in COMMENT_FEEDS:
        return reverse("comments-feed")
    raise Http404("No such feed.")


def _wp_id(value):
    if value.isascii() and value.isdigit() and len(value) <= 19:
        return int(value)
    return None


def by_wp_id(find):
    """A lookup of `find(wp_id)` for a query value that must be a WordPress id."""

    def lookup(value):
        wp_id = _wp_id(value)
        return None if wp_id is None else find(wp_id)

    return lookup


def _post(wp_id):
    # WordPress answers ?p= for every kind of post: articles, pages and attachments.
    article = Article.objects.published().filter(wp_id=wp_id).first()
    if article:
        return article.get_absolute_url()
    return _page(wp_id) or _attachment(wp_id)


def _page(wp_id):
    page = Page.objects.published().filter(wp_id=wp_id).first()
    return page.get_absolute_url() if page else None


def _attachment(wp_id):
    attachment = WordPressAttachment.objects.filter(wp_id=wp_id).first()
    return attachment_target(attachment) if attachment else None


def _category(value):
    """?cat= is a term id in WordPress; a slug (?cat=news) is taken too, as some links have it."""
    wp_id = _wp_id(value)
    category = Category.objects.filter(wp_id=wp_id).first() if wp_id is not None else None
    return (category.get_absolute_url() if category else None) or _category_slug(value)


def _category_slug(value):
    # ?category_name= may name the ancestors too (parent/child), as its address did.
    slug = value.strip("/").rsplit("/", 1)[-1]
    return _term_url(Category, CategoryRedirect, "category", slug)


def _tag(value):
    # ?tag=a,b and ?tag=a+b ask for several; the first is where the reader lands here.
    slug = value.replace("+", ",").replace(" ", ",").split(",", 1)[0]
    return _term_url(Tag, TagRedirect, "tag", slug)


def _term_url(model, redirect_model, field, slug):
    term = model.objects.filter(slug=slug).first()
    if term is None:
        old = redirect_model.objects.filter(slug=slug).select_related(field).first()
        term = getattr(old, field) if old else None
    return term.get_absolute_url() if term else None


def _author(wp_id):
    author = Author.objects.filter(wp_id=wp_id).first()
    return author.get_absolute_url() if author else None


def _date_archive(value):
    """?m=YYYY, YYYYMM or YYYYMMDD (WordPress ignores the hours and minutes after them)."""
    if not (value.isascii() and value.isdigit() and 4 <= len(value) <= 14):
        return None
    year, month, day = int(value[:4]), value[4:6], value[6:8]
    try:
        datetime.date(year, int(month or 1), int(day or 1))
    except ValueError:
        return None
    if not datetime.MINYEAR < year < datetime.MAXYEAR or len(month) == 1 or len(day) == 1:
        return None
    if day:
        return reverse("articles:day", kwargs={"year": year, "month": month, "day": day})
    if month:
        return reverse("articles:month", kwargs={"year": year, "month": month})
    return reverse("articles:year", kwargs={"year": year})


LOOKUPS = {
    "p": by_wp_id(_post),
    "page_id": by_wp_id(_page),
    "attachment_id": by_wp_id(_attachment),
    "cat": _category,
    "category_name": _category_slug,
    "tag": _tag,
    "author": by_wp_id(_author),
    "m": _date_archive,
}


def attachment_target(attachment):
    """An attachment's page shows its post (if public), or the file itself when it had none."""
    if attachment.article_id:
        article = Article.objects.published().filter(pk=attachment.article_id).first()
        return article.get_absolute_url() if article else None
    if attachment.page_id:
        return _page_by_pk(attachment.page_id)
    return attachment.url or None


def _page_by_pk(pk):
    page = Page.objects.published().filter(pk=pk).first()
    return page.get_absolute_url() if page else None


def redirect_for_post_suffix(year, month, day, slug, suffix):
    """Where /<date>/<slug>/<suffix>/ leads: the public article, for the suffixes WordPress served
    there; None for anything else."""
    public = Article.objects.published()
    article = (
        public.at_permalink(year, month, day, slug).first()
        or public.formerly_at(year, month, day, slug).first()
    )
    if article is None:
        return None
    if suffix in POST_SUFFIXES or suffix.isdigit():
        return article.get_absolute_url()
    if WordPressAttachment.objects.filter(article=article, slug=suffix).exists():
        return article.get_absolute_url()
    return None


def redirect_for_category_path(path):
    """/category/<parent>/<child>/ (WordPress names every ancestor) is /category/<child>/ here;
    None unless the path is exactly the category's ancestry."""
    slugs = [s for s in path.split("/") if s]
    category = Category.objects.filter(slug=slugs[-1]).first()
    ancestry = []
    seen = set()
    node = category
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        ancestry.insert(0, node.slug)
        node = node.parent
    if category is None or ancestry != slugs:
        return None
    return category.get_absolute_url()
