"""Search across articles: PostgreSQL full-text search, and a simpler fallback for SQLite.

`ArticleQuerySet.search()` is the entry point; this module holds the pieces it is made of: the
search document PostgreSQL stores for every article, query clean-up, the crude stemmer and
highlighting of the SQLite fallback, and the snippets both show under each result.
"""

import re
import unicodedata
from html import unescape

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.db import connections
from django.db.models import Case, Func, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

# English stemming: "injections" finds "injection", "walking" finds "walk".
SEARCH_CONFIG = "english"
# Enough for any real question; a pasted essay is cut here rather than sent to the database.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SNIPPET_WORDS = 36
# ts_headline marks matches with these; they are turned into <mark> after everything else in the
# snippet is escaped (private-use characters never occur in an article's text).
MARK_START, MARK_STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = {
    "start_sel": MARK_START,
    "stop_sel": MARK_STOP,
    "max_words": SNIPPET_WORDS,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000\ue001]")
_TERM = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
# Block boundaries separate words; inline tags (<em>, <a>) don't: "a <em>cushion</em>, so".
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|"
    r"caption|figure|figcaption|hr|br|img)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_LONE_HASH = re.compile(r" #(?= |$)")


class SearchDocument(Func):
    """An article's weighted text-search document: title (A) above excerpt (B) above body (C).

    PostgreSQL stores it in a generated column, kept current by the database itself on every
    insert and update (bulk imports included), with a GIN index over it (migration 0003). Other
    databases store NULL: they search with `fallback_search()` instead.

    The migration records only `SearchDocument()`, so makemigrations cannot see a change made
    here: changing the document needs a hand-written migration that re-creates the column.
    """

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("excerpt", weight="B", config=SEARCH_CONFIG)
            # The rendered HTML, not the Markdown: PostgreSQL's parser skips tags, so link
            # addresses and markup never become search words.
            + SearchVector("body_html", weight="C", config=SEARCH_CONFIG)
        )

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, **extra_context)


def clean_query(text):
    """The words as typed, without control characters (PostgreSQL refuses NUL), cut short."""
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text or "")).strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
    return text


# Longest first; "ies" before "es" before "s".
_SUFFIXES = ("ies", "ing", "ed", "es", "s", "y")


def crude_stem(word):
    """Cut a common English ending so that a prefix match finds the word's other forms.

    "injections" and "injection" both become "injection"; "injury" and "injuries" both "injur".
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


# Words too common to search for, as PostgreSQL's english configuration also drops them.
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from",
        "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not",
        "of", "on", "or", "our", "so", "than", "that", "the", "their", "them", "then", "there",
        "these", "they", "this", "to", "was", "we", "what", "when", "where", "which", "who", "why",
        "will", "with", "you", "your",
    }
)  # fmt: skip


def fold(text):
    """`text` without its accents: "Épidural" becomes "Epidural" (case is left alone)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _accent_variants():
    """{letter: every Latin letter that is it with an accent}, e.g. "e": "eèéêëēĕėęě"."""
    variants = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = fold(char).lower()
        if len(base) == 1 and base.isascii() and base.isalpha() and char.lower() == char:
            variants.setdefault(base, base)
            variants[base] += char
    return variants


_VARIANTS = _accent_variants()


def accent_pattern(stem):
    """A regular expression for a folded stem that matches it with or without accents (with
    re.IGNORECASE, in any case): what PostgreSQL's unaccented query and SQLite's REGEXP share."""
    return "".join(f"[{_VARIANTS[c]}]" if c in _VARIANTS else re.escape(c) for c in stem)


def query_stems(text):
    """(wanted, unwanted) word stems of a query; "-word" unwanted, as in a web search engine.

    A query with no wanted word (only stop words, punctuation or exclusions) finds nothing, on
    either database: "-sciatica" alone would otherwise mean every other article.
    """
    wanted, unwanted = {}, {}
    # Folded: "ÉPIDURAL" and "epidural" are one word (accent_pattern finds either in the text).
    for chunk in fold(text).lower().split():
        for word in _TERM.findall(chunk):
            if word not in STOP_WORDS:
                (unwanted if chunk.startswith("-") else wanted)[crude_stem(word)] = True
    return list(wanted)[:MAX_TERMS], list(unwanted)[:MAX_TERMS]


def _word_start(stem):
    return rf"\b{accent_pattern(stem)}"


def _anywhere(pattern):
    return Q(title__iregex=pattern) | Q(excerpt__iregex=pattern) | Q(body__iregex=pattern)


def fallback_search(articles, text):
    """Every word must start a word in the title, excerpt or body; title matches rank first.

    For databases without full-text search (SQLite in development). Django's SQLite backend
    implements REGEXP with Python's `re`, so `\\b` and case-folding work for any language.
    """
    wanted, unwanted = query_stems(text)
    if not wanted:
        return articles.none()
    matches = Q()
    for stem in unwanted:
        matches &= ~_anywhere(_word_start(stem))
    score = Value(0)
    for stem in wanted:
        pattern = _word_start(stem)
        matches &= _anywhere(pattern)
        # A word in the title outweighs any number of words elsewhere: title matches first.
        for field, weight in (("title", 100), ("excerpt", 2), ("body", 1)):
            score = score + Case(
                When(**{f"{field}__iregex": pattern}, then=Value(weight)),
                default=Value(0),
                output_field=IntegerField(),
            )
    return (
        articles.filter(matches)
        # The snippet is cut from the rendered text, which listings otherwise leave unloaded.
        .defer(None)
        .defer("body", "search_document")
        .annotate(search_rank=score)
        .order_by("-search_rank", "-published_at", "-pk")
    )


def visible_text(html):
    """The words a reader sees in sanitised HTML (or a ts_headline cut from it), in one line."""
    html = _BLOCK_TAG.sub(" ", _HEADERLINK.sub("", html or ""))
    return _SPACE.sub(" ", unescape(_TAG.sub("", html))).strip()


def headline_html(headline):
    """A ts_headline result as safe HTML: text escaped, matches in <mark>, no tags of its own."""
    # Fragments come without tags, but with the "#" of each heading's permalink still in them.
    text = escape(_LONE_HASH.sub("", visible_text(headline)))
    text = re.sub(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}", r"<mark>\1</mark>", text)
    # Escaped above; the only markup is the <mark> added after, and stray markers are dropped.
    return mark_safe(text.replace(MARK_START, "").replace(MARK_STOP, ""))


def text_snippet(text, stems, length=SNIPPET_WORDS):
    """Some words of `text` around the first match, as safe HTML with the matches in <mark>."""
    words = list(re.finditer(r"\S+", text))
    if not words:
        return mark_safe("")
    alternatives = "|".join(map(accent_pattern, stems))
    pattern = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)
    first = pattern.search(text) if stems else None
    start = 0
    if first:
        hit = next(i for i, word in enumerate(words) if word.end() > first.start())
        start = max(0, min(hit - length // 3, len(words) - length))
    window = words[start : start + length]
    excerpt = text[window[0].start() : window[-1].end()]
    html, position = [], 0
    for match in pattern.finditer(excerpt) if stems else ():
        html.append(escape(excerpt[position : match.start()]))
        html.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    html.append(escape(excerpt[position:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(words) else ""
    return mark_safe(prefix + "".join(html) + suffix)  # every piece of text escaped above


def text_query(text):
    """The PostgreSQL query for `text` (cleaned), as a web search engine reads it."""
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    folded = fold(text)
    if folded != text:
        # "ÉPIDURAL" finds what "epidural" finds, and what "épidural" finds too.
        query |= SearchQuery(folded, search_type="websearch", config=SEARCH_CONFIG)
    return query


def add_snippets(articles, text):
    """Give each search result a `search_snippet`: where the words occur, highlighted.

    On PostgreSQL from ts_headline, in one query for the page's articles only: asked for in the
    search itself, it would carry every match's text through the ranking's sort.
    """
    text = clean_query(text)
    articles = list(articles)
    headlines = _headlines(articles, text)
    stems, _ = query_stems(text)
    for article in articles:
        headline = headlines.get(article.pk)
        if headline is not None:
            article.search_snippet = headline_html(headline)
        else:
            article.search_snippet = text_snippet(visible_text(article.body_html), stems)


def _headlines(articles, text):
    if not articles or connections[articles[0]._state.db].vendor != "postgresql":
        return {}
    model = type(articles[0])
    return dict(
        model._base_manager.filter(pk__in=[article.pk for article in articles])
        .annotate(
            headline=SearchHeadline(
                "body_html", text_query(text), config=SEARCH_CONFIG, **HEADLINE_OPTIONS
            )
        )
        .values_list("pk", "headline")
    )
