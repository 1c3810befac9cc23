"""WordPress post HTML to our Markdown, and WordPress comment HTML to our plain comment text.

WordPress stores a post as loose HTML: paragraphs are blank lines (its `wpautop` adds the <p>s
when showing it), single newlines are line breaks, and shortcodes such as [caption] expand on
display. We do what WordPress did on display (shortcodes, then wpautop), and hand the HTML to
markdownify, so the Markdown renders through markup.render to the same text, links and images.
Iframes, scripts and styles are not allowed by our sanitiser: an embedded video becomes a link.
"""

import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

# WordPress's wpautop: elements that are blocks of their own, never wrapped in <p>.
BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
    r"|iframe|video|audio|object|embed|script)"
)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.S | re.I)
_BARE_URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.M)


def wpautop(html):
    """Paragraphs from blank lines and <br> from single newlines, as WordPress shows a post."""
    if not html.strip():
        return ""
    if "<!-- wp:" in html:
        # Block-editor content is complete HTML already; WordPress skips wpautop for it too.
        return html
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"<pre data-kept='{len(kept) - 1}'></pre>"

    text = _PRE.sub(keep, html.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = re.sub(rf"(<{BLOCKS}[\s/>])", r"\n\n\1", text, flags=re.I)
    text = re.sub(rf"(</{BLOCKS}>)", r"\1\n\n", text, flags=re.I)
    chunks = [c.strip("\n") for c in re.split(r"\n\s*\n", text) if c.strip()]
    text = "".join(f"<p>{chunk}</p>\n" for chunk in chunks)
    text = re.sub(rf"<p>\s*(</?{BLOCKS}[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(rf"(</?{BLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.I)
    # Newlines inside a tag (attributes over several lines) are not line breaks.
    text = re.sub(r"<[^>]*>", lambda m: m.group(0).replace("\n", " "), text)
    text = re.sub(r"(?<!<br />)(?<!<br>)[ \t]*\n(?!\s*</?" + BLOCKS + r"[\s/>])", "<br />\n", text)
    text = re.sub(rf"(</?{BLOCKS}[^>]*>)\s*<br />", r"\1", text, flags=re.I)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    return re.sub(r"<pre data-kept='(\d+)'></pre>", lambda m: kept[int(m.group(1))], text)


# --- shortcodes ---------------------------------------------------------------------------------

_ATTR = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)


def shortcode_attrs(text):
    """WordPress's shortcode_parse_atts: named values in a dict, positional ones under 0, 1, …"""
    attrs, position = {}, 0
    for match in _ATTR.finditer(unescape(text or "")):
        groups = match.groups()
        if groups[0] is not None:
            attrs[groups[0].lower()] = groups[1]
        elif groups[2] is not None:
            attrs[groups[2].lower()] = groups[3]
        elif groups[4] is not None:
            attrs[groups[4].lower()] = groups[5]
        else:
            attrs[position] = next(g for g in groups[6:] if g is not None)
            position += 1
    return attrs


def _enclosing(name):
    return re.compile(
        rf"\[{name}(?![\w-])(?P<attrs>[^\]]*)\](?P<content>.*?)\[/{name}\]", re.S | re.I
    )


def _single(names):
    return re.compile(rf"\[(?P<name>{names})(?P<attrs>(?:=|\s)[^\]]*)?/?\]", re.I)


CAPTION = _enclosing(r"(?:wp_caption|caption)")
EMBED = _enclosing("embed")
GALLERY = _single("gallery")
MEDIA = _single("youtube|vimeo|video|audio|dailymotion|ted")
_SHORTCODE_LIKE = re.compile(r"\[(/?)([a-z][\w-]*)((?:\s|=)[^\]]*)?\]", re.I)


@dataclass
class Conversion:
    """What converting one post found that the report should mention."""

    unresolved_galleries: int = 0  # galleries with images we could not find
    unknown_shortcodes: set = field(default_factory=set)


def link_paragraph(url):
    url = escape(url, quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


def _caption(match):
    attrs = shortcode_attrs(match.group("attrs"))
    content = match.group("content").strip()
    caption = attrs.get("caption", "")
    if not caption:
        # Since WordPress 3.4 the caption follows the image inside the shortcode.
        caption = re.sub(r"^\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>\s*(?:</a>)?", "", content, flags=re.I)
        content = content[: len(content) - len(caption)]
    caption = caption.strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{content.strip()}{figcaption}</figure>\n\n"


def video_url(name, attrs):
    """The address a [youtube]/[vimeo]/[video]… shortcode shows, or ''."""
    name = name.lower()
    value = attrs.get("src") or attrs.get("url") or attrs.get("id") or attrs.get(0, "")
    if name in {"video", "audio"}:
        for key in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a", "wmv", "flv"):
            if attrs.get(key):
                return attrs[key]
        return ""
    value = value.lstrip("=").strip()
    if name == "youtube":
        if value.startswith(("http://", "https://")):
            # WordPress.com's [youtube=URL&w=640&h=385]: size settings are not part of the video.
            parts = urlsplit(value)
            query = parse_qs(parts.query)
            if "v" in query:
                return f"https://www.youtube.com/watch?v={query['v'][0]}"
            return value.split("&", 1)[0]
        return f"https://www.youtube.com/watch?v={value}" if value else ""
    if name == "vimeo" and value and not value.startswith(("http://", "https://")):
        return f"https://vimeo.com/{value}"
    if name == "dailymotion" and value and not value.startswith(("http://", "https://")):
        return f"https://www.dailymotion.com/video/{value}"
    return value if value.startswith(("http://", "https://")) else ""


def expand_shortcodes(html, gallery_images, conversion):
    """The shortcodes WordPress expanded on display, as the HTML we can keep.

    `gallery_images(ids)` gives a gallery's images as [(url, alt)] and how many of the ids it did
    not know; ids is None for a [gallery] without ids (all the post's images).
    """
    html = CAPTION.sub(_caption, html)
    html = EMBED.sub(lambda m: link_paragraph(m.group("content").strip()), html)

    def media(match):
        attrs = shortcode_attrs((match.group("attrs") or "").lstrip("="))
        if (match.group("attrs") or "").startswith("="):
            attrs = {0: (match.group("attrs") or "")[1:].strip()}
        url = video_url(match.group("name"), attrs)
        return link_paragraph(url) if url else ""

    html = MEDIA.sub(media, html)

    def gallery(match):
        attrs = shortcode_attrs(match.group("attrs"))
        ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
        images, missing = gallery_images(ids or None)
        if missing or not images:
            conversion.unresolved_galleries += 1
        return "".join(
            f'\n\n<p><img src="{escape(url, quote=True)}" alt="{escape(alt, quote=True)}"></p>'
            for url, alt in images
        )

    html = GALLERY.sub(gallery, html)
    for closing, name, attrs in _SHORTCODE_LIKE.findall(html):
        # "[sic]" is text; "[contact-form to='…']" or "[foo]…[/foo]" is a shortcode we don't know.
        if closing or "-" in name or "_" in name or "=" in (attrs or ""):
            conversion.unknown_shortcodes.add(name.lower())
    return html


# --- HTML to Markdown ---------------------------------------------------------------------------

# Text that would start a heading, quote, list or rule if it began a line.
_LINE_START = re.compile(r"(^|\n)([ \t]*)(#{1,6}|>|[-+](?=\s|$)|-{2,}|\d+\.(?=\s|$))")


class Converter(MarkdownConverter):
    """markdownify, escaping text for Python-Markdown (which reads raw HTML and entities)."""

    def escape(self, text, parent_tags):
        if not text:
            return ""
        text = text.replace("\\", "\\\\")
        for char in "*_`[]":
            text = text.replace(char, "\\" + char)
        # Python-Markdown has no backslash escape for these: entities keep them text.
        text = text.replace("&", "&amp;").replace("<", "&lt;")
        if parent_tags & {"td", "th"}:
            text = text.replace("|", "\\|")
        return _LINE_START.sub(lambda m: m.group(1) + m.group(2) + _escape_marker(m.group(3)), text)

    def convert_a(self, el, text, parent_tags):
        href = el.get("href")
        if href:
            el["href"] = _safe_url(href)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        if el.get("src"):
            el["src"] = _safe_url(el["src"])
        return super().convert_img(el, text, parent_tags)


def _escape_marker(marker):
    if marker[0].isdigit():
        return marker[:-1] + "\\."  # "2019. A good year" is not a list
    return "".join("\\" + c for c in marker)


def _safe_url(url):
    # Markdown link targets end at a space or an unbalanced parenthesis.
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


CONVERTER_OPTIONS = {
    "heading_style": "ATX",
    "bullets": "-",
    "escape_asterisks": False,  # done in Converter.escape, with the other characters
    "escape_underscores": False,
    "escape_misc": False,
    "strip": ["script", "style", "noscript", "form", "input", "button", "select", "textarea"],
}


def youtube_watch_url(src):
    match = re.search(r"(?:youtube(?:-nocookie)?\.com/embed/|youtu\.be/)([\w-]{6,})", src)
    return f"https://www.youtube.com/watch?v={match.group(1)}" if match else src


def html_to_markdown(html, rewrite_url=None):
    """WordPress post HTML (after wpautop) as Markdown.

    `rewrite_url(url, kind)` may return a new address for an image ("img") or a link ("a").
    """
    soup = BeautifulSoup(html, "html.parser")
    for frame in soup.find_all(["iframe", "embed", "object"]):
        src = frame.get("src") or frame.get("data") or ""
        if src.startswith("//"):
            src = "https:" + src
        if src.startswith(("http://", "https://")):
            src = youtube_watch_url(src)
            link = soup.new_tag("a", href=src)
            link.string = src
            frame.replace_with(link)
        else:
            frame.decompose()
    if rewrite_url:
        for image in soup.find_all("img"):
            if image.get("src"):
                image["src"] = rewrite_url(image["src"], "img")
        for link in soup.find_all("a"):
            if link.get("href"):
                link["href"] = rewrite_url(link["href"], "a")
    markdown = Converter(**CONVERTER_OPTIONS).convert_soup(soup)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def post_to_markdown(html, *, gallery_images, rewrite_url=None):
    """A WordPress post's content as Markdown, and what the conversion noticed."""
    conversion = Conversion()
    html = expand_shortcodes(html or "", gallery_images, conversion)
    html = _BARE_URL_LINE.sub(lambda m: f'<a href="{escape(m.group(1))}">{m.group(1)}</a>', html)
    return html_to_markdown(wpautop(html), rewrite_url), conversion


def plain_text(html):
    """Plain text of a small piece of HTML (titles, excerpts): tags dropped, entities decoded."""
    text = BeautifulSoup(html or "", "html.parser").get_text(" ")
    return " ".join(unescape(text).split())


# --- comments -----------------------------------------------------------------------------------


def _same_address(text, href):
    def bare(url):
        return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")

    return bare(text) == bare(href)


def comment_to_text(html):
    """WordPress comment HTML as the plain text our comments are: paragraphs, URLs, no markup.

    A link keeps its words and its address ("words (https://…)"); comments.text.render_comment
    turns the address back into a link when the comment is shown.
    """
    html = (html or "").replace("\r\n", "\n")
    if "<" in html or "&" in html:
        html = _comment_html_to_text(html)
    text = re.sub(r"[ \t]+\n", "\n", html)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _comment_html_to_text(html):
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.find_all("a"):
        href = (link.get("href") or "").strip()
        words = link.get_text(" ", strip=True)
        if not href.lower().startswith(("http://", "https://")):
            link.replace_with(words)
        elif not words or _same_address(words, href) or words.lower().startswith("http"):
            link.replace_with(href)
        else:
            link.replace_with(f"{words} ({href})")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for image in soup.find_all("img"):
        image.replace_with(image.get("alt") or "")
    for quote in soup.find_all("blockquote"):
        lines = quote.get_text().strip().splitlines()
        quote.replace_with("\n\n" + "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n")
    for item in soup.find_all("li"):
        item.insert_before("\n- ")
        item.unwrap()
    for block in soup.find_all(["p", "div", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6"]):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
        block.unwrap()
    return unescape(soup.get_text())
