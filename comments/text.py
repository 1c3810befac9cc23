"""Comment text is plain text: paragraphs and auto-linked URLs, nothing a commenter can style."""

import re

import nh3
from django.utils.html import linebreaks, urlize

URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


def render_comment(text):
    # urlize escapes everything that is not a link: raw HTML and Markdown show as typed.
    html = linebreaks(urlize(text or "", nofollow=False, autoescape=True))
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
