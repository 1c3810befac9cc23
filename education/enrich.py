"""An article's rendered body made into patient education, after markup.render has sanitised it:
"when to seek care" callouts in place of their markers, [n] linked to the references, and the
first use of each glossary word linked to its plain-language explanation, which a "Words used
in this article" list at the end gives (a <dfn> in a <dl>: no JavaScript, read in order by
screen readers, printed with the page).

Everything added here is our own markup around text nodes of HTML that nh3 wrote (well formed,
attributes double-quoted), so a single pass over its tags is enough.
"""

import re
from html import escape

from .references import link_citations

_TAG = re.compile(r"(<[^>]+>)")
_TAG_NAME = re.compile(r"^</?([a-zA-Z0-9]+)")
# Text inside these is never linked: links, code, headings, and what we added ourselves.
_NO_LINKS = {"a", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "dfn", "abbr", "aside"}
_VOID = {"br", "hr", "img", "wbr"}
CALLOUT_PREFIX = "[[seek-care:"
_MARKER = re.compile(r"<p>\[\[seek-care:([a-z0-9_-]+)\]\]</p>")


def callout_html(callout):
    heading_id = f"seek-care-{callout.slug}"
    return (
        f'<aside class="seek-care" role="note" aria-labelledby="{heading_id}">'
        f'<h2 class="seek-care-title" id="{heading_id}"><span class="seek-care-icon" '
        f'aria-hidden="true">!</span> When to seek care: {escape(callout.title)}</h2>'
        f"{callout.body_html}</aside>"
    )


def place_callouts(html, callouts):
    """Each [[seek-care:<slug>]] paragraph as its callout; an unknown slug stays as typed, so
    staff see it in the preview and fix it."""
    by_slug = {callout.slug: callout for callout in callouts}

    def replace(match):
        callout = by_slug.get(match.group(1))
        return callout_html(callout) if callout else match.group(0)

    return _MARKER.sub(replace, html)


def without_markers(html):
    """Rendered HTML without the callout markers' paragraphs (for counts and excerpts)."""
    return _MARKER.sub("", html)


def callout_slugs(source):
    return set(re.findall(r"\[\[seek-care:([a-z0-9_-]+)\]\]", source or ""))


def _term_pattern(terms):
    forms = sorted(
        {(escape(form, quote=False).lower(), term) for term in terms for form in term.forms},
        key=lambda item: -len(item[0]),
    )
    if not forms:
        return None, {}
    lookup = dict(forms)
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(form) for form, _ in forms) + r")(?![\w-])", re.I
    )
    return pattern, lookup


def _walk_text(html, change):
    """Call `change(text)` on each text node outside _NO_LINKS elements; returns the HTML."""
    out, closed_by = [], []
    for part in _TAG.split(html):
        if not part:
            continue
        if part.startswith("<"):
            name = (_TAG_NAME.match(part) or [None, ""])[1].lower()
            if name in _NO_LINKS and not part.startswith("</"):
                closed_by.append(name)
            elif part.startswith("</") and closed_by and closed_by[-1] == name:
                closed_by.pop()
            out.append(part)
        elif closed_by:
            out.append(part)
        else:
            out.append(change(part))
    return "".join(out)


def mark_glossary(html, terms):
    """Link the first use of each term (any of its forms) to its definition; returns the HTML
    and the terms used, in order of first use."""
    pattern, lookup = _term_pattern(terms)
    used = []
    if pattern is None:
        return html, used

    def change(text):
        def replace(match):
            term = lookup[match.group(1).lower()]
            if term in used:
                return match.group(0)
            used.append(term)
            return (
                f'<a class="glossary-term" href="#{term.anchor}" id="use-{term.anchor}" '
                f'aria-describedby="{term.anchor}-text">{match.group(0)}</a>'
            )

        return pattern.sub(replace, text)

    return _walk_text(html, change), used


def glossary_list(used):
    if not used:
        return ""
    items = "".join(
        f'<dt id="{term.anchor}"><dfn>{escape(term.term)}</dfn></dt>'
        f'<dd><span id="{term.anchor}-text">{escape(term.explanation)}</span> '
        f'<a class="glossary-back" href="#use-{term.anchor}">Back to the text'
        f'<span class="visually-hidden"> where “{escape(term.term)}” is used</span></a></dd>'
        for term in used
    )
    return (
        '<section class="glossary" aria-labelledby="glossary-title">'
        '<h2 id="glossary-title">Words used in this article</h2>'
        f"<dl>{items}</dl></section>"
    )


def enrich(html, *, callouts=(), reference_numbers=(), glossary=()):
    """The article's body as readers get it (see the module's docstring)."""
    html = place_callouts(html, callouts)
    numbers, seen = set(reference_numbers), set()
    if numbers:
        html = _walk_text(html, lambda text: link_citations(text, numbers, seen))
    html, used = mark_glossary(html, [term for term in glossary if term.explain_to_readers])
    return html + glossary_list(used)


def glossary_found(text, terms):
    """The terms whose forms occur in plain `text` (for the editor's panel), in order of use."""
    pattern, lookup = _term_pattern(terms)
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(escape(text, quote=False)):
        term = lookup[match.group(1).lower()]
        if term not in found:
            found.append(term)
    return found
