"""Comment text is plain text: paragraphs and auto-linked URLs, nothing a commenter can style."""

import re

import nh3
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeData

URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# What urlize needs to find before it makes a link: http(s)://, www., an address's @, or a
# domain in one of the seven gTLDs it knows.
_LINK_HINTS = ("http", "www.", "@", ".com", ".edu", ".gov", ".int", ".mil", ".net", ".org")


def _may_hold_links(text):
    # Beyond ASCII, urlize's case-blind matching takes "İ" and "ı" for "i": left to it (and
    # text marked safe, which urlize does not escape).
    if isinstance(text, SafeData) or not text.isascii():
        return True
    lowered = text.lower()
    return any(hint in lowered for hint in _LINK_HINTS)


def render_comment(text):
    # urlize escapes everything that is not a link: raw HTML and Markdown show as typed. Text
    # it could find no link in comes out of it escaped and nothing else, so it is only escaped
    # (most comments: urlize was most of the time a comment took to render).
    text = text or ""
    linked = (
        urlize(text, nofollow=False, autoescape=True) if _may_hold_links(text) else escape(text)
    )
    html = linebreaks(linked)
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel="nofollow ugc noopener",
    )


def count_links(text):
    return len(URL.findall(text or ""))


def excerpt(text, limit=200):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
