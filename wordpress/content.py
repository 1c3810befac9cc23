"""WordPress post HTML to our Markdown, and WordPress comment HTML to our plain comment text.

WordPress stores a post as loose HTML: paragraphs are blank lines (its `wpautop` adds the <p>s
when showing it), single newlines are line breaks, and shortcodes such as [caption] expand on
display. We do what WordPress did on display (block-editor blocks, shortcodes, then wpautop),
and hand the HTML to markdownify, so the Markdown renders through markup.render to the same
text, links and images.

What Markdown has no words for stays HTML inside the Markdown, sanitised as it is written (the
renderer sanitises it again): a picture with its caption is a <figure> with its <figcaption>, a
gallery a <figure class="gallery"> of them, a YouTube or Vimeo video a link card
(<figure class="video-card">) that asks nothing of the video's site until the reader follows it
(the sanitiser allows no iframes, and the CSP no frames), a plugin's block its own HTML.
"""

import re
from dataclasses import dataclass, field
from html import escape, unescape
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from markdownify import MarkdownConverter

from markup.render import sanitise

from .blocks import Blocks, blocks_to_html, has_blocks

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
    blocks: Blocks = field(default_factory=Blocks)  # block-editor blocks left out or unmapped


def link_paragraph(url):
    url = escape(url, quote=True)
    return f'\n\n<p><a href="{url}">{url}</a></p>\n\n'


_VIDEO_ID = re.compile(r"[\w-]{6,20}")
_START = re.compile(r"\d+s?|(?:\d+h)?(?:\d+m)?(?:\d+s)?")  # YouTube's t=90 or t=1m30s


def video_address(url):
    """(site, the video's own page) for a YouTube or Vimeo address in any of its forms (watch,
    youtu.be, embed, shorts, player), or None."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    if host in {"youtube.com", "youtube-nocookie.com", "youtu.be"}:
        if host == "youtu.be":
            video = parts.path.strip("/").split("/")[0]
        elif parts.path.rstrip("/") == "/watch":
            video = (query.get("v") or [""])[0]
        else:
            match = re.match(r"/(?:embed|shorts|live|v)/([\w-]+)", parts.path)
            video = match.group(1) if match else ""
        if not _VIDEO_ID.fullmatch(video):
            return None
        start = (query.get("t") or query.get("start") or [""])[0]
        start = f"&t={start}" if start and _START.fullmatch(start) else ""
        return "YouTube", f"https://www.youtube.com/watch?v={video}{start}"
    if host in {"vimeo.com", "player.vimeo.com"}:
        match = re.search(r"/(\d{3,12})(?:/|$)", parts.path)
        return ("Vimeo", f"https://vimeo.com/{match.group(1)}") if match else None
    return None


def video_card(url, caption_html=""):
    """A YouTube or Vimeo video as a card that links to it, or None for any other address.

    No player, picture or script of the video's site is on the page: the reader's browser asks
    it for nothing until the reader follows the link (and then with no referrer).
    """
    found = video_address(url)
    if found is None:
        return None
    site, address = found
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html.strip() else ""
    href = escape(address, quote=True)
    return (
        f'\n\n<figure class="video-card"><a href="{href}">Watch the video on {site}</a>'
        f"{caption}</figure>\n\n"
    )


def video_or_link(url):
    return video_card(url) or link_paragraph(url)


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

    `gallery_images(ids)` gives a gallery's images as [(url, alt, caption)] and how many of the
    ids it did not know; ids is None for a [gallery] without ids (all the post's images).
    """
    html = CAPTION.sub(_caption, html)
    html = EMBED.sub(lambda m: video_or_link(m.group("content").strip()), html)

    def media(match):
        attrs = shortcode_attrs((match.group("attrs") or "").lstrip("="))
        if (match.group("attrs") or "").startswith("="):
            attrs = {0: (match.group("attrs") or "")[1:].strip()}
        url = video_url(match.group("name"), attrs)
        return video_or_link(url) if url else ""

    html = MEDIA.sub(media, html)

    def gallery(match):
        attrs = shortcode_attrs(match.group("attrs"))
        ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))]
        images, missing = gallery_images(ids or None)
        if missing or not images:
            conversion.unresolved_galleries += 1
        if not images:
            return ""
        figures = "".join(
            f'<figure><img src="{escape(url, quote=True)}" alt="{escape(alt, quote=True)}">'
            + (f"<figcaption>{escape(caption)}</figcaption>" if caption else "")
            + "</figure>"
            for url, alt, caption in images
        )
        return f'\n\n<figure class="gallery">{figures}</figure>\n\n'

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
        if href and "button" in (el.get("class") or []):
            # The block editor's buttons are the site's own buttons: HTML, which Markdown keeps.
            words = escape(el.get_text(" ", strip=True))
            return _safe_html(
                f'<a class="button" href="{escape(href.strip(), quote=True)}">{words}</a>'
            )
        if href:
            el["href"] = _safe_url(href)
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        if el.get("src"):
            el["src"] = _safe_url(el["src"])
        return super().convert_img(el, text, parent_tags)

    def convert_blockquote(self, el, text, parent_tags):
        markdown = super().convert_blockquote(el, text, parent_tags)
        if markdown.strip() and _quote_follows(el):
            # Markdown joins quotes that follow each other into one; an (invisible) HTML
            # comment between them keeps them two.
            markdown += "<!-- -->\n\n"
        return markdown

    def convert_figure(self, el, text, parent_tags):
        classes = set(el.get("class") or [])
        if "video-card" in classes:
            return _raw(str(el))
        images = [i for i in el.find_all("img") if i.get("src")]
        if classes & {"gallery", "wp-block-gallery"} or (
            len(images) > 1 and not el.find(["table", "blockquote"])
        ):
            return _raw(_gallery(el, images)) if images else text
        caption = el.find("figcaption")
        if len(images) == 1 and _caption_of(caption):
            return _raw(f"<figure>{_image(images[0])}{_caption_of(caption)}</figure>")
        # A table's or a quote's figure, or a picture without a caption: Markdown says it all.
        return text

    def convert_figcaption(self, el, text, parent_tags):
        # Under a table or a quote (a picture's caption stays in its figure): a paragraph after.
        text = text.strip()
        return f"\n\n*{text}*\n\n" if text else ""

    def convert_div(self, el, text, parent_tags):
        if el.get("data-wp-block"):
            return _raw(f"<div>{_inner(el)}</div>")
        return super().convert_div(el, text, parent_tags)


def _quote_follows(quote):
    """Whether the next thing after this quote (or the figure it is all of) is a quote too."""
    here = quote
    if here.parent is not None and here.parent.name == "figure":
        here = here.parent
    following = here.find_next_sibling()
    while following is not None and following.name == "p" and not following.get_text(strip=True):
        following = following.find_next_sibling()
    if following is None:
        return False
    return following.name == "blockquote" or (
        following.name == "figure" and following.find("blockquote", recursive=False) is not None
    )


def _safe_html(html):
    """HTML as the renderer will keep it (so staff editing the text see what readers get)."""
    # The renderer adds the links' rel itself: the staff's text stays without it.
    return sanitise(html).replace(' rel="noopener noreferrer"', "")


def _raw(html):
    """HTML kept as it is inside the Markdown: a block of its own, on one line, sanitised."""
    html = " ".join(_safe_html(html).split("\n"))
    return f"\n\n{html}\n\n" if html.strip() else ""


def _inner(element):
    return element.decode_contents().strip()


def _caption_of(caption):
    """A <figcaption> as we keep it, or '' for none or an empty one."""
    if caption is None or not caption.get_text(strip=True):
        return ""
    return f"<figcaption>{_inner(caption)}</figcaption>"


def _image(image):
    """An <img> as we keep it (its link too, when it has one)."""
    alt = escape(image.get("alt") or "", quote=True)
    attrs = f'src="{escape(image["src"], quote=True)}" alt="{alt}"'
    for size in ("width", "height"):
        if str(image.get(size) or "").isdigit():
            attrs += f' {size}="{image[size]}"'
    tag = f"<img {attrs}>"
    link = image.parent if image.parent is not None and image.parent.name == "a" else None
    if link is not None and link.get("href"):
        return f'<a href="{escape(link["href"], quote=True)}">{tag}</a>'
    return tag


def _gallery(figure, images):
    items = []
    for image in images:
        own = image.find_parent(["figure", "li"])
        caption = own.find("figcaption") if own is not None and own is not figure else None
        items.append(f"<figure>{_image(image)}{_caption_of(caption)}</figure>")
    caption = _caption_of(figure.find("figcaption", recursive=False))
    return f'<figure class="gallery">{"".join(items)}{caption}</figure>'


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
    "sup_symbol": "<sup>",  # footnote marks, exponents: Markdown has no words for them
    "sub_symbol": "<sub>",
    "strip": ["script", "style", "noscript", "form", "input", "button", "select", "textarea"],
}


def _replace_with_html(element, html):
    element.replace_with(BeautifulSoup(html, "html.parser"))


PLAYERS = ("iframe", "embed", "object", "video", "audio")


def _media_links(soup, players):
    """Players of other sites and of files, as links (video cards for YouTube and Vimeo)."""
    for frame in players:
        if frame.find_parent(PLAYERS):
            continue  # inside another player (an <embed> in an <object>): goes with it
        src = frame.get("src") or frame.get("data") or ""
        if not src and frame.name in {"video", "audio"}:
            source = frame.find("source", src=True)
            src = source["src"] if source else ""
        src = src.strip()
        if src.startswith("//"):
            src = "https:" + src
        if not src.startswith(("http://", "https://", "/")):
            frame.decompose()
        elif card := video_card(src):
            _replace_with_html(frame, card)
        else:
            link = soup.new_tag("a", href=src)
            link.string = (
                src
                if frame.name in {"iframe", "embed", "object"}
                else (src.rstrip("/").rsplit("/", 1)[-1] or src)
            )
            frame.replace_with(link)


def _block_shapes(soup, found):
    """HTML our allow-list lacks, in the shapes it has."""
    for details in found.get("details", []):
        summary = details.find("summary")
        if summary is not None:
            strong = soup.new_tag("strong")
            strong.extend(list(summary.contents))
            paragraph = soup.new_tag("p")
            paragraph.append(strong)
            summary.replace_with(paragraph)
        details.unwrap()
    for cite in found.get("cite", []):
        if cite.parent is None or cite.parent.name != "blockquote":
            continue  # a title cited in a sentence stays in it
        # A quote's source, on a line of its own under the words.
        paragraph = soup.new_tag("p")
        paragraph.append("— ")
        paragraph.extend(list(cite.contents))
        cite.replace_with(paragraph)
    for mark in found.get("sup", []):
        if "fn" in (mark.get("class") or []):
            for link in mark.find_all("a"):
                link.unwrap()  # to a note's id, which the sanitiser does not keep


def html_to_markdown(html, rewrite_url=None):
    """WordPress post HTML (after wpautop) as Markdown.

    `rewrite_url(url, kind)` may return a new address for an image ("img") or a link ("a").
    """
    soup = BeautifulSoup(html, "html.parser")
    # One walk of the tree finds what the two passes change.
    found = {}
    for tag in soup.find_all([*PLAYERS, "details", "cite", "sup"]):
        found.setdefault("player" if tag.name in PLAYERS else tag.name, []).append(tag)
    _media_links(soup, found.get("player", []))
    _block_shapes(soup, found)
    if rewrite_url:
        for image in soup.find_all("img"):
            if image.get("src"):
                image["src"] = rewrite_url(image["src"], "img")
        for link in soup.find_all("a"):
            if link.get("href"):
                link["href"] = rewrite_url(link["href"], "a")
    markdown = Converter(**CONVERTER_OPTIONS).convert_soup(soup)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def _bare_url(match):
    # WordPress embedded what a URL alone on its line points at: a video card or a link.
    url = match.group(1)
    return video_card(url) or f'<a href="{escape(url)}">{escape(url)}</a>'


def post_to_markdown(html, *, gallery_images, rewrite_url=None, footnotes=""):
    """A WordPress post's content as Markdown, and what the conversion noticed. `footnotes`: the
    post's "footnotes" meta, which the block editor's footnotes block shows."""
    conversion = Conversion()
    html = html or ""
    blocks = has_blocks(html)
    if blocks:
        # Complete HTML already: WordPress skips wpautop for block-editor posts too.
        html = blocks_to_html(html, conversion.blocks, footnotes=footnotes, video_card=video_card)
    html = expand_shortcodes(html, gallery_images, conversion)
    html = _BARE_URL_LINE.sub(_bare_url, html)
    if not blocks:
        html = wpautop(html)
    return html_to_markdown(html, rewrite_url), conversion


def plain_text(html):
    """Plain text of a small piece of HTML (titles, excerpts): tags dropped, entities decoded."""
    if "<" not in (html or "") and "&" not in (html or ""):
        return " ".join((html or "").split())  # no markup: what the parser would give, sooner
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
