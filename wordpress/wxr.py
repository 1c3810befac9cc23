"""Reading a WordPress export (WXR) by streaming, so memory stays flat however big it is.

A WXR file is RSS 2.0 with WordPress's elements in the namespace http://wordpress.org/export/<v>/
(1.0, 1.1 and 1.2 are in use; they differ in which elements exist, not in their names). Nothing
here knows about Django: it turns the file into plain dicts, one top-level element at a time, and
drops each element once it has been read.

WordPress.com hands out its export as a .zip holding one or more XML files; those are read in
name order as if they were one file.
"""

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+(?:\.\d+)*/(excerpt/)?$")
OTHER_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class WXRError(Exception):
    """The file cannot be imported; the message names the problem (and the line, when known)."""


@dataclass(frozen=True)
class Source:
    """One XML document: a file, or a member of a .zip."""

    path: Path
    member: str | None = None

    def __str__(self):
        return f"{self.path}:{self.member}" if self.member else str(self.path)

    def open(self):
        if self.member is None:
            return open(self.path, "rb")
        return zipfile.ZipFile(self.path).open(self.member)


def sources(paths):
    """The XML documents behind the given paths; raises WXRError for what cannot be read."""
    found = []
    for name in paths:
        path = Path(name)
        try:
            with open(path, "rb") as probe:
                if not probe.read(1):
                    raise WXRError(f"{path} is empty: export the blog again.")
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    members = sorted(
                        m.filename
                        for m in archive.infolist()
                        if m.filename.lower().endswith(".xml") and not m.is_dir()
                    )
                if not members:
                    raise WXRError(f"{path}: this .zip holds no .xml file.")
                found.extend(Source(path, member) for member in members)
            else:
                found.append(Source(path))
        except OSError as error:
            raise WXRError(f"Cannot read {path}: {error.strerror or error}.") from None
        except zipfile.BadZipFile as error:
            raise WXRError(f"{path}: damaged .zip file ({error}).") from None
    return found


_names = {}


def short_name(tag):
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id', whatever the WXR version."""
    name = _names.get(tag)
    if name is None:
        if tag.startswith("{"):
            namespace, local = tag[1:].split("}", 1)
            match = WP_NAMESPACE.match(namespace)
            if match:
                prefix = "excerpt" if match.group(1) else "wp"
            else:
                prefix = OTHER_NAMESPACES.get(namespace, namespace)
            name = f"{prefix}:{local}"
        else:
            name = tag
        _names[tag] = name
    return name


def iter_channel(source):
    """Yield (name, element) for each child of the export's <channel>, then forget it.

    The element is only valid until the next item is asked for. Raises WXRError for a file that
    is not well-formed XML or not a WordPress export.
    """
    try:
        with source.open() as stream:
            yield from _iter_channel(source, stream)
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise WXRError(
            f"{source} is not well-formed XML: {reason} at line {line}, column {column + 1}."
        ) from None
    except OSError as error:
        raise WXRError(f"Cannot read {source}: {error.strerror or error}.") from None


def _iter_channel(source, stream):
    depth = 0
    channel = None
    seen_wordpress = False
    for event, element in ET.iterparse(stream, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 1 and element.tag != "rss":
                raise WXRError(
                    f"{source} is not a WordPress export: it is XML, but its root element is "
                    f"<{short_name(element.tag)}>, not <rss>. In WordPress, use Tools → Export."
                )
            if depth == 2 and element.tag == "channel":
                channel = element
            if not seen_wordpress and short_name(element.tag).startswith("wp:"):
                seen_wordpress = True
            continue
        depth -= 1
        if depth == 2 and channel is not None:
            name = short_name(element.tag)
            if name == "item" and not seen_wordpress:
                raise _not_wxr(source)
            yield name, element
            # Read and done: without this the whole document would pile up in memory.
            channel.remove(element)
    if channel is None or not seen_wordpress:
        raise _not_wxr(source)


def _not_wxr(source):
    return WXRError(
        f"{source} is not a WordPress export (WXR): it has no WordPress elements such as "
        "<wp:wxr_version>. An RSS feed is not enough; in WordPress, use Tools → Export."
    )


def text_of(element):
    return (element.text or "").strip() if element is not None else ""


def read_simple(element):
    """A flat element such as <wp:author> or <wp:category>: {'wp:cat_name': '…', …}."""
    return {short_name(child.tag): child.text or "" for child in element}


def read_item(element):
    """An <item> as a dict: its fields, 'terms' [(domain, nicename, name)], 'meta' {key: [values]}
    and 'comments' [dict]."""
    item = {"terms": [], "meta": {}, "comments": []}
    for child in element:
        name = short_name(child.tag)
        if name == "category":
            item["terms"].append(
                (child.get("domain", "category"), child.get("nicename", ""), child.text or "")
            )
        elif name == "wp:postmeta":
            meta = read_simple(child)
            key = meta.get("wp:meta_key", "")
            item["meta"].setdefault(key, []).append(meta.get("wp:meta_value", ""))
        elif name == "wp:comment":
            item["comments"].append(
                {
                    short_name(c.tag): c.text or ""
                    for c in child
                    if short_name(c.tag) != "wp:commentmeta"
                }
            )
        else:
            item.setdefault(name, child.text or "")
    return item


def post_type_of(element):
    """An item's wp:post_type without reading the rest of it."""
    for child in element:
        if short_name(child.tag) == "wp:post_type":
            return (child.text or "").strip()
    return ""
