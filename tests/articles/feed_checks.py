"""The second feed validator, beside feedparser (a real, forgiving feed client): strict XML parsing
with lxml, then the elements RSS 2.0 (https://www.rssboard.org/rss-specification) and Atom
(RFC 4287) require, in their namespaces, with dates and addresses in the formats they require.

No RELAX NG or XSD schema for either format ships in a package we can install offline, so the
rules are written out here, each one a line that names what the specification asks for.
"""

import datetime
from email.utils import parsedate_to_datetime

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def parse_strict(content):
    """Well-formed XML or an exception: no recovery, no entities, no network."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(content, parser=parser)


def _one(parent, tag):
    found = parent.findall(tag)
    assert len(found) == 1, f"<{parent.tag}> needs exactly one <{tag}>, has {len(found)}"
    return found[0]


def _text(parent, tag):
    text = (_one(parent, tag).text or "").strip()
    assert text, f"<{tag}> in <{parent.tag}> is empty"
    return text


def _absolute(url):
    assert url.startswith(("http://", "https://")), f"not an absolute URL: {url!r}"
    return url


def _rfc3339(value):
    parsed = datetime.datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"an Atom date needs its offset: {value!r}"
    return parsed


def _no_email(root):
    # Commenters' and authors' addresses stay private: no RSS <author> (an email) nor <email>.
    assert root.findall(".//author") == []
    assert root.findall(f".//{{{ATOM}}}email") == []
    assert "mailto:" not in etree.tostring(root, encoding="unicode")


def check_rss(content):
    """RSS 2.0: <rss version="2.0"><channel> with title, link, description; items with a title
    or a description, absolute links, RFC 822 dates, a guid, and a well-formed enclosure."""
    root = parse_strict(content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = _one(root, "channel")
    _text(channel, "title")
    _absolute(_text(channel, "link"))
    _one(channel, "description")
    self_link = _one(channel, f"{{{ATOM}}}link")
    assert self_link.get("rel") == "self"
    _absolute(self_link.get("href"))
    parsedate_to_datetime(_text(channel, "lastBuildDate"))
    items = channel.findall("item")
    for item in items:
        assert item.find("title") is not None or item.find("description") is not None
        _absolute(_text(item, "link"))
        assert parsedate_to_datetime(_text(item, "pubDate")).tzinfo is not None
        _text(item, "guid")
        for enclosure in item.findall("enclosure"):
            _absolute(enclosure.get("url"))
            assert enclosure.get("length", "").isdigit() and int(enclosure.get("length")) > 0
            assert enclosure.get("type", "").startswith("image/")
        assert len(item.findall("enclosure")) <= 1
        assert len(item.findall(f"{{{CONTENT}}}encoded")) <= 1
    _no_email(root)
    return root


def check_atom(content):
    """Atom 1.0 (RFC 4287 4.1.1, 4.1.2): one id, title and updated per feed and entry, a self
    link, an alternate link per entry, an author for every entry (the feed has none), unique ids
    and RFC 3339 dates."""
    root = parse_strict(content)
    assert root.tag == f"{{{ATOM}}}feed"
    _text(root, f"{{{ATOM}}}id")
    _text(root, f"{{{ATOM}}}title")
    _rfc3339(_text(root, f"{{{ATOM}}}updated"))
    links = {
        link.get("rel", "alternate"): link.get("href") for link in root.findall(f"{{{ATOM}}}link")
    }
    _absolute(links["self"])
    _absolute(links["alternate"])
    ids = []
    for entry in root.findall(f"{{{ATOM}}}entry"):
        ids.append(_text(entry, f"{{{ATOM}}}id"))
        _text(entry, f"{{{ATOM}}}title")
        _rfc3339(_text(entry, f"{{{ATOM}}}updated"))
        for published in entry.findall(f"{{{ATOM}}}published"):
            _rfc3339(published.text)
        alternates = [
            link
            for link in entry.findall(f"{{{ATOM}}}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        assert len(alternates) == 1
        _absolute(alternates[0].get("href"))
        author = _one(entry, f"{{{ATOM}}}author")
        _text(author, f"{{{ATOM}}}name")
        assert len(entry.findall(f"{{{ATOM}}}summary")) <= 1
        assert len(entry.findall(f"{{{ATOM}}}content")) <= 1
        for enclosure in entry.findall(f"{{{ATOM}}}link[@rel='enclosure']"):
            _absolute(enclosure.get("href"))
            assert int(enclosure.get("length")) > 0
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    _no_email(root)
    return root
