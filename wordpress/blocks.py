"""WordPress block-editor content as the HTML the rest of the conversion reads (content.py).

Since WordPress 5.0 a post is a sequence of blocks, each its saved HTML between comments:
`<!-- wp:image {"id":41} --><figure class="wp-block-image">…</figure><!-- /wp:image -->`, or one
comment alone for a block WordPress draws on each visit (`<!-- wp:latest-posts /-->`). Blocks
nest (a gallery holds image blocks, columns hold column blocks). Here the comments go, and each
block becomes what it means on this site:

- blocks whose saved HTML is their content (paragraph, heading, list, quote, table, code, …)
  keep it, and the HTML conversion makes it Markdown like a classic post's;
- image, gallery, pullquote, buttons, embed, video, audio, file, verse, details, social links
  and footnotes are rewritten into the shapes content.Converter maps (a figure with its
  caption, a gallery of figures, a video card, button links);
- blocks that show the old site's own lists and parts (latest posts, calendar, search,
  navigation, query loops, comment forms, the site's logo…) are left out: this site draws its
  own, and a copy frozen in one article would be wrong the next day. They are counted, by name,
  for the report;
- any other block (a plugin's) keeps its HTML, sanitised, and is named in the report.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from html import escape

from bs4 import BeautifulSoup

_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<name>[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+"
    r"(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.S,
)

# Blocks whose own saved HTML is what readers saw (the wrappers of layout blocks go with the
# HTML conversion, their content stays).
SAVED_HTML = {
    "paragraph", "heading", "list", "list-item", "quote", "pullquote", "table", "code",
    "preformatted", "separator", "image", "gallery", "columns", "column", "group", "row",
    "stack", "cover", "media-text", "html", "freeform", "shortcode", "audio", "video",
    "text-columns", "subhead", "details",
}  # fmt: skip
# Nothing to keep: a gap, WordPress's "read more" cut (excerpts are their own field here) and
# its page breaks (a post is one page here; the old /<post>/2/ addresses redirect to it).
NOTHING = {"spacer", "more", "nextpage"}
# The old site's own lists and parts, drawn by WordPress on each visit.
SITE_PARTS = {
    "archives", "avatar", "calendar", "categories", "latest-comments", "latest-posts",
    "loginout", "page-list", "page-list-item", "read-more", "rss", "search", "tag-cloud",
    "term-description", "template-part", "pattern", "home-link", "legacy-widget",
    "widget-group", "site-logo", "site-title", "site-tagline", "archive-title",
}  # fmt: skip
SITE_PART_PREFIXES = ("post-", "query", "comment", "navigation")
MAX_DEPTH = 32


def block_name(name):
    return name.removeprefix("core/")


def is_site_part(name):
    # WordPress's own blocks only: a plugin's are named "plugin/block".
    return "/" not in name and (name in SITE_PARTS or name.startswith(SITE_PART_PREFIXES))


@dataclass
class Block:
    name: str
    attrs: dict
    parts: list = field(default_factory=list)  # HTML text and inner Blocks, in order


@dataclass
class Blocks:
    """What converting one post's blocks found: blocks left out and blocks kept unmapped."""

    left_out: Counter = field(default_factory=Counter)
    unmapped: Counter = field(default_factory=Counter)


def has_blocks(html):
    return "<!-- wp:" in (html or "")


def parse(html):
    """WordPress's parse_blocks: the top level as a list of HTML text and Blocks."""
    root = Block("", {})
    stack = [root]
    position = 0
    for match in _DELIMITER.finditer(html):
        stack[-1].parts.append(html[position : match.start()])
        position = match.end()
        name = block_name(match.group("name"))
        if match.group("closer"):
            # A closer closes the innermost open block of that name (a stray one is dropped).
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].name == name:
                    del stack[depth:]
                    break
            continue
        try:
            attrs = json.loads(match.group("attrs") or "{}")
        except ValueError:
            attrs = {}
        block = Block(name, attrs if isinstance(attrs, dict) else {})
        stack[-1].parts.append(block)
        # Deeper than any editor nests (the renderer recurses): further blocks sit side by side.
        if not match.group("void") and len(stack) <= MAX_DEPTH:
            stack.append(block)
    stack[-1].parts.append(html[position:])
    return root.parts


def blocks_to_html(html, found, *, footnotes="", video_card):
    """Block-editor content as plain HTML, no block comments left. `found` (a Blocks) collects
    what the report names; `footnotes` is the post's "footnotes" meta (JSON); `video_card(url,
    caption)` gives the HTML of an embedded video's card, or None for other addresses."""
    context = _Context(found, footnotes, video_card)
    return "".join(context.render(part) for part in parse(html))


class _Context:
    def __init__(self, found, footnotes, video_card):
        self.found = found
        self.footnotes = footnotes
        self.video_card = video_card

    def render(self, part):
        if isinstance(part, str):
            return part
        name = part.name
        if name in NOTHING:
            return ""
        if is_site_part(name):
            self.found.left_out[name] += 1
            return ""
        handler = getattr(self, "block_" + name.replace("-", "_").replace("/", "__"), None)
        if handler is None and name.startswith("core-embed/"):
            handler = self.block_embed
        inner = "".join(self.render(p) for p in part.parts)
        if handler is not None:
            return handler(part, inner)
        if name in SAVED_HTML:
            return inner
        self.found.unmapped[name] += 1
        # Kept as it is: content.Converter writes it out sanitised, as raw HTML.
        return f'\n\n<div data-wp-block="{escape(name)}">{inner}</div>\n\n' if inner.strip() else ""

    # blocks whose HTML becomes another shape

    def block_missing(self, block, inner):
        # A block whose plugin was gone when the post was last saved: unmapped under its name.
        name = block_name(str(block.attrs.get("originalName") or "missing"))
        self.found.unmapped[name] += 1
        content = inner.strip() or str(block.attrs.get("originalContent") or "")
        return f'\n\n<div data-wp-block="{escape(name)}">{content}</div>\n\n' if content else ""

    def block_embed(self, block, inner):
        soup = BeautifulSoup(inner, "html.parser")
        caption = soup.find("figcaption")
        caption_html = caption.decode_contents().strip() if caption else ""
        if caption:
            caption.decompose()
        url = str(block.attrs.get("url") or "").strip() or soup.get_text(" ", strip=True)
        if not url.startswith(("http://", "https://")):
            return ""
        card = self.video_card(url, caption_html)
        if card:
            return card
        # Posts, pictures and pages of other sites: a link (an embed would call on them).
        link = f'<a href="{escape(url, quote=True)}">{escape(url)}</a>'
        return f"\n\n<p>{link}</p>\n\n" + (f"<p>{caption_html}</p>\n\n" if caption_html else "")

    def block_buttons(self, block, inner):
        return inner

    def block_button(self, block, inner):
        soup = BeautifulSoup(inner, "html.parser")
        link = soup.find("a")
        words = escape(soup.get_text(" ", strip=True))
        if not words:
            return ""
        if link is None or not link.get("href"):
            return f"\n\n<p>{words}</p>\n\n"
        href = escape(link["href"], quote=True)
        return f'\n\n<p><a class="button" href="{href}">{words}</a></p>\n\n'

    def block_file(self, block, inner):
        soup = BeautifulSoup(inner, "html.parser")
        for button in soup.select(".wp-block-file__button"):
            button.decompose()  # "Download": the same link again
        for embed in soup.find_all("object"):
            embed.decompose()  # the PDF preview: the link is enough
        if not soup.get_text(strip=True):
            return ""
        return f"\n\n<p>{soup.decode_contents().strip()}</p>\n\n"

    def block_verse(self, block, inner):
        # Poetry: lines kept, in the text's own font (a <pre> would become code here).
        soup = BeautifulSoup(inner, "html.parser")
        pre = soup.find("pre")
        if pre is None:
            return inner
        lines = pre.decode_contents().strip("\n").split("\n")
        return "\n\n<p>" + "<br>".join(lines) + "</p>\n\n"

    def block_social_links(self, block, inner):
        return f"\n\n<ul>{inner}</ul>\n\n" if inner.strip() else ""

    def block_social_link(self, block, inner):
        url = str(block.attrs.get("url") or "").strip()
        if not url.startswith(("http://", "https://", "mailto:")):
            return ""
        label = str(block.attrs.get("label") or block.attrs.get("service") or url).strip()
        label = label[:1].upper() + label[1:]
        return f'<li><a href="{escape(url, quote=True)}">{escape(label)}</a></li>'

    def block_footnotes(self, block, inner):
        # The notes live in the post's "footnotes" meta; the block only says where they go.
        try:
            notes = json.loads(self.footnotes or "[]")
        except ValueError:
            notes = []
        items = [
            f"<li>{note['content']}</li>"
            for note in notes
            if isinstance(note, dict) and str(note.get("content") or "").strip()
        ]
        return "\n\n<hr>\n\n<ol>" + "".join(items) + "</ol>\n\n" if items else ""
