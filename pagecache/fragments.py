"""Everything public pages keep in Django's cache, declared once: its key, lifetime, retirement.

Every key holds the content version (pagecache/version.py), so any change of public content
retires every entry at once; the lifetime only bounds how long an entry that nothing retired may
linger (and how stale the like counts inside it may be, since likes do not change the version).

Code that renders pages reaches these through `request.fragments` (set by the page-cache
middleware) or the `{% fragment %}` template tag, so `articles` and `comments` never import this
app and never build a cache key themselves:

    tags, categories, previous, following, related = request.fragments.fetch(
        "around", build, article.pk, "filed"
    )

    {% load fragments %}{% fragment "listing" request.get_full_path %}…{% endfragment %}

Which fragments are worth keeping is measured by bench/bench_fragments.py; see the README.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from . import version


@dataclass(frozen=True)
class Fragment:
    name: str
    seconds: int | None  # None: the page cache's own rule, see `timeout`
    retired_by: str
    # False: kept for its lifetime whatever else changes (what it shows comes from elsewhere).
    versioned: bool = True

    def key(self, *parts):
        # Parts come from addresses readers type: hashed, so any length and character is a key.
        digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
        if not self.versioned:
            return f"pagecache:{self.name}:{digest}"
        return f"pagecache:{self.name}:{version.current()}:{digest}"

    def timeout(self):
        if self.seconds is not None:
            return self.seconds
        # A whole page is kept no longer than until the next scheduled article is due.
        return version.seconds_until_next(settings.PAGE_CACHE_SECONDS)

    def fetch(self, build, *parts):
        """The cached value for these parts, or `build()` (never None) cached now."""
        key = self.key(*parts)
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, self.timeout())
        return value


PAGE = Fragment(
    "page",
    None,
    "the content version; at most PAGE_CACHE_SECONDS, and never past the next scheduled "
    "article's time; a like waits for the lifetime",
)

DECLARED = {
    fragment.name: fragment
    for fragment in (
        # The site settings and menu pages every page's header shows: two queries
        # (articles/context_processors.py).
        Fragment("chrome", 300, "the content version"),
        # The rendered sidebar: categories with counts, recent articles, archive months (three
        # queries) and their links (templates/base.html).
        Fragment("sidebar", 300, "the content version"),
        # One page of a listing, rendered, with its comment and like counts: two queries and
        # ten summaries (templates/articles/article_list.html; not search results).
        Fragment("listing", 60, "the content version; its like counts lag at most a minute"),
        # An article's tags and other categories, previous, next and related articles: two
        # queries
        # (articles/views.py `around`).
        Fragment("around", 600, "the content version"),
        # A public article's rendered body, byline, author box and links to other articles
        # (templates/articles/article_detail.html).
        Fragment("article_main", 300, "the content version"),
        # An article's rendered comment tree and its count: one query and up to hundreds of
        # comments (comments/templatetags/comments_tags.py).
        Fragment("comment_tree", 600, "the content version (a comment appearing or leaving)"),
        # The latest items of the feeds staff chose, for the sidebar: one query. Other sites'
        # news, fetched every half hour, so only its lifetime retires it: a change of our own
        # content rebuilds the sidebar without asking for it again (news/templatetags/news.py).
        Fragment("news", 300, "its lifetime only", versioned=False),
    )
}


class Fragments:
    """`request.fragments`: the declared fragments, by name."""

    def fetch(self, name, build, *parts):
        return DECLARED[name].fetch(build, *parts)


FRAGMENTS = Fragments()
