"""Reading responses as pages: parsed HTML rather than substrings of the source.

A substring check passes on a word that sits in an attribute, a script or a comment, and fails
when a template changes its spacing or escapes a character (`&amp;`, `&#x27;`). These helpers
parse the page (Beautiful Soup on lxml) and look where a reader looks:

- `text(page, selector)`: the text a reader sees, in the whole page or in the elements that a CSS
  selector matches, with whitespace collapsed (scripts, styles and templates are not text).
- `select`, `one`, `attrs`: elements and attribute values by CSS selector.
- `nowhere(page, needle)`: for things that must never be in a page (an email address, an IP):
  it looks everywhere, the raw source as well as every text, script, comment and attribute
  value after entities are decoded, so neither markup nor escaping can hide the needle.

For a whole element, `assertContains(response, "<a href=...>Next</a>", html=True)` compares
parsed HTML too.
"""

from bs4 import BeautifulSoup, Comment, Tag

INVISIBLE = {"script", "style", "template"}


def parse(page):
    """A response, bytes, a string or an already parsed page, as a parsed page."""
    if isinstance(page, Tag):
        return page
    return BeautifulSoup(source(page), "lxml")


def source(page):
    # Not getattr(page, "content"): on a parsed page that would look for a <content> element.
    content = page.content if hasattr(type(page), "content") else page
    return content.decode() if isinstance(content, bytes) else content


def squash(value):
    return " ".join(value.split())


def _visible_text(node):
    parts = []
    for string in node.find_all(string=True):
        if isinstance(string, Comment) or type(string).__name__ in {"Doctype", "Declaration"}:
            continue
        if any(parent.name in INVISIBLE for parent in string.parents):
            continue
        parts.append(str(string))
    return squash("".join(parts))


def select(page, selector):
    return parse(page).select(selector)


def one(page, selector):
    """The one element the selector matches; fails when it matches none or several."""
    found = select(page, selector)
    assert len(found) == 1, f"{selector!r} matched {len(found)} elements"
    return found[0]


def text(page, selector=None):
    """What a reader reads in the page, or in the elements the selector matches (joined)."""
    soup = parse(page)
    if selector is None:
        return _visible_text(soup)
    return " ".join(_visible_text(node) for node in soup.select(selector))


def texts(page, selector):
    """The text of each element the selector matches."""
    return [_visible_text(node) for node in select(page, selector)]


def attrs(page, selector, name):
    """The attribute's value on each matching element that has it."""
    values = []
    for node in select(page, selector):
        value = node.get(name)
        if value is not None:
            values.append(" ".join(value) if isinstance(value, list) else value)
    return values


def everything(page):
    """Every string in the page: its source, then each text (scripts, styles and comments
    included) and each attribute name and value with entities decoded."""
    found = [] if isinstance(page, Tag) else [source(page)]
    soup = parse(page)
    found.extend(str(string) for string in soup.find_all(string=True))
    for node in soup.find_all(True):
        for name, value in node.attrs.items():
            found.extend((name, " ".join(value) if isinstance(value, list) else value or ""))
    return found


def nowhere(page, needle):
    """True when the needle is in no part of the page (see `everything`)."""
    return not any(needle in string for string in everything(page))
