"""The first pass over an export: what posts refer to (authors, terms, attachments, the old
blog's own addresses), read before any row is written, which also finds a broken file first."""

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from . import wxr
from .content import plain_text
from .values import first_meta, integer


@dataclass
class Attachment:
    wp_id: int
    parent: int
    url: str
    slug: str
    title: str
    alt: str
    order: int
    caption: str = ""  # WordPress keeps an image's caption as the attachment's excerpt


@dataclass
class Site:
    hosts: set = field(default_factory=set)
    authors: dict = field(default_factory=dict)  # login -> fields
    categories: dict = field(default_factory=dict)  # nicename -> fields
    tags: dict = field(default_factory=dict)  # slug -> fields
    attachments: dict = field(default_factory=dict)  # id -> Attachment
    attachments_of: dict = field(default_factory=dict)  # post id -> [Attachment]


def scan(documents):
    """Read the channel-level definitions and the attachments of every document."""
    site = Site()
    for document in documents:
        for name, element in wxr.iter_channel(document):
            if name == "wp:author":
                data = wxr.read_simple(element)
                site.authors.setdefault(data.get("wp:author_login", "").strip(), data)
            elif name == "wp:category":
                data = wxr.read_simple(element)
                site.categories.setdefault(data.get("wp:category_nicename", "").strip(), data)
            elif name == "wp:tag":
                data = wxr.read_simple(element)
                site.tags.setdefault(data.get("wp:tag_slug", "").strip(), data)
            elif name in {"wp:base_site_url", "wp:base_blog_url", "link"}:
                parts = urlsplit(wxr.text_of(element))
                if parts.hostname and parts.path.strip("/") == "":
                    site.hosts.add(parts.hostname.lower().removeprefix("www."))
            elif name == "item" and wxr.post_type_of(element) == "attachment":
                item = wxr.read_item(element)
                attachment = Attachment(
                    wp_id=integer(item.get("wp:post_id")),
                    parent=integer(item.get("wp:post_parent")),
                    url=(item.get("wp:attachment_url") or item.get("guid") or "").strip(),
                    slug=unquote(item.get("wp:post_name", "").strip()),
                    title=plain_text(item.get("title", "")),
                    alt=first_meta(item["meta"], "_wp_attachment_image_alt"),
                    order=integer(item.get("wp:menu_order")),
                    caption=plain_text(item.get("excerpt:encoded", "")),
                )
                if attachment.wp_id and attachment.url:
                    site.attachments[attachment.wp_id] = attachment
                    site.attachments_of.setdefault(attachment.parent, []).append(attachment)
    site.authors.pop("", None)
    site.categories.pop("", None)
    site.tags.pop("", None)
    return site
