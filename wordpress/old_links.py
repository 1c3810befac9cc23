"""Addresses the old WordPress blog handed out besides its permalinks, and where they lead now.

Links in search engines, old emails and other sites keep working with a 301: /?p=<id>,
/?page_id=<id>, /?attachment_id=<id>, /?cat=<id>, /?author=<id>, the addresses WordPress
served under a post (its attachments' pages, /amp/, /embed/, /trackback/, /<n>/ for its pages),
and a subcategory's /category/<parent>/<child>/.
Only what the public may see is redirected to; anything else answers 404, so a draft's id reveals
nothing. The query-string links are answered by `middleware` (on the home page, whose address
they share), the others by `views` at the addresses `urls` routes before the articles' own.
"""

from django.http import Http404

from articles.models import Article, Category, Page
from authors.models import Author

from .models import WordPressAttachment

# The order WordPress itself checks them in when a link carries several.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "author")
# What WordPress serves below a post's address that is still the post.
POST_SUFFIXES = frozenset({"amp", "embed", "trackback"})


def redirect_for_query(params):
    """The address /?p=<id> and its kin now live at; None when `params` holds none of them.

    Raises Http404 when the id names nothing public.
    """
    key = next((k for k in QUERY_KEYS if k in params), None)
    if key is None:
        return None
    value = params[key]
    if not (value.isascii() and value.isdigit() and len(value) <= 19):
        raise Http404("No such WordPress id.")
    url = LOOKUPS[key](int(value))
    if url is None:
        raise Http404("Nothing public has this WordPress id.")
    return url


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


def _category(wp_id):
    category = Category.objects.filter(wp_id=wp_id).first()
    return category.get_absolute_url() if category else None


def _author(wp_id):
    author = Author.objects.filter(wp_id=wp_id).first()
    return author.get_absolute_url() if author else None


LOOKUPS = {
    "p": _post,
    "page_id": _page,
    "attachment_id": _attachment,
    "cat": _category,
    "author": _author,
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
