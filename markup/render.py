"""Markdown to safe HTML: the one renderer for articles, pages, author bios and the editor preview.

Render once on save, sanitise once: the stored HTML is what the page shows, so everything that
reaches a reader passes through `markdown_to_html`.
"""

import functools
import re
import threading
from html import unescape

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

from .bounds import RenderRefused, check_shape, time_limit, too_deep

__all__ = ["RenderRefused", "markdown_to_html", "validate_markdown"]

from .phones import link_phone_numbers

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}  # fmt: skip
# No data:, javascript: or other schemes: images we generate are files under MEDIA_URL.
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# figure.gallery, figure.video-card and a.button: what the WordPress import makes of galleries,
# embedded videos and the block editor's buttons (wordpress/content.py), styled by site.css.
ALLOWED_CLASSES = {
    "a": {"headerlink", "button"},
    "div": {"codehilite"},
    "figure": {"gallery", "video-card"},
    "span": set(),
}

EXTENSIONS = ["extra", "sane_lists", "toc", "smarty"]
EXTENSION_CONFIGS = {
    "toc": {
        "permalink": "#",
        "permalink_title": "Link to this section",
        # Prefixed so an author's heading can never take the id of a part of the page.
        "slugify": lambda value, separator: "h-" + _slug(value, separator),
        "toc_depth": "2-4",
    },
}


def _slug(value, separator):
    value = re.sub(r"[^\w\s-]", "", unescape(value)).strip().lower()
    return re.sub(r"[\s_-]+", separator, value)[:80] or "section"


def sanitise(html):
    """Strip everything outside the allow-list: scripts, event handlers, styles, bad URLs."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        allowed_classes=ALLOWED_CLASSES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


PAGE_EXTENSION_CONFIGS = {"toc": {**EXTENSION_CONFIGS["toc"], "permalink": False}}


_renderers = threading.local()


def _convert(source, permalinks):
    """Markdown to HTML with a converter per thread and kind, reset before each text: building
    one (its extensions and patterns) costs about as much as rendering a short article. One
    stopped half-way (too slow, too deep) is dropped, never reused."""
    key = "articles" if permalinks else "pages"
    md = getattr(_renderers, key, None)
    if md is None:
        md = markdown.Markdown(
            extensions=EXTENSIONS,
            extension_configs=EXTENSION_CONFIGS if permalinks else PAGE_EXTENSION_CONFIGS,
            output_format="html",
        )
        setattr(_renderers, key, md)
    try:
        return md.reset().convert(source)
    except BaseException:
        delattr(_renderers, key)
        raise


# The admin's validation renders the text and the save renders it again: the second is free.
@functools.lru_cache(maxsize=8)
def markdown_to_html(source, permalinks=True):
    """Render Markdown (raw HTML inside it included), make phone numbers tap-to-call, and
    sanitise the result. Headings keep their ids; `permalinks` adds the "#" link beside each
    (articles, which readers cite by section; not pages such as Contact).

    Raises RenderRefused (with a message for staff) for a text too deeply nested or too slow to
    render (markup.bounds), never RecursionError or a worker held for half a minute.
    """
    source = source or ""
    check_shape(source)
    try:
        with time_limit(settings.MARKDOWN_RENDER_SECONDS):
            html = _convert(source, permalinks)
    except RecursionError:
        raise too_deep("lists, quotes or tags") from None
    return sanitise(link_phone_numbers(html))


def validate_markdown(source):
    """A model field validator: the admin says why a text cannot be saved, and keeps it."""
    limit = settings.MARKDOWN_MAX_CHARS
    if len(source) > limit:
        raise ValidationError(
            f"This text is too long to save: at most {limit:,} characters; it has "
            f"{len(source):,}. Split it into parts.",
            code="too_long",
        )
    try:
        markdown_to_html(source)
    except RenderRefused as refused:
        raise ValidationError(str(refused), code="unrenderable") from None


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def html_to_text(html):
    """Visible text of sanitised HTML (heading permalinks dropped), for excerpts and counts."""
    html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html or "")
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", html))).strip()


_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def excerpt_from_html(html, words=40):
    """The opening words of the body's paragraphs (headings and lists would read as run-ons)."""
    paragraphs = " ".join(_PARAGRAPH.findall(html or "")) or html
    parts = html_to_text(paragraphs).split(" ")
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(",;:.") + "…"
