from functools import cached_property

from django.core.cache import cache

from . import version
from .models import Article, Page, SiteSettings
from .selectors import archive_months, categories_with_counts

RECENT_COUNT = 5
CHROME_SECONDS = 300


class Blog:
    """The site chrome (header, menu, sidebar), queried only if a template uses it.

    The same for every page and every reader, so it is built once per content version (five
    queries) and then read from the cache until something public changes.
    """

    @cached_property
    def version(self):
        """The content version: part of every cached fragment's key."""
        return version.current()

    @cached_property
    def _chrome(self):
        key = f"blog:chrome:{self.version}"
        chrome = cache.get(key)
        if chrome is None:
            chrome = {
                "settings": SiteSettings.load(),
                "menu_pages": list(Page.objects.published().only("title", "slug")),
                "categories": list(categories_with_counts()),
                "recent_articles": list(
                    Article.objects.published()
                    .order_by("-published_at")
                    .only("title", "slug", "published_at", "status")[:RECENT_COUNT]
                ),
                "archive_months": archive_months(),
            }
            cache.set(key, chrome, CHROME_SECONDS)
        return chrome

    @property
    def settings(self):
        return self._chrome["settings"]

    @property
    def menu_pages(self):
        return self._chrome["menu_pages"]

    @property
    def categories(self):
        return self._chrome["categories"]

    @property
    def recent_articles(self):
        return self._chrome["recent_articles"]

    @property
    def archive_months(self):
        return self._chrome["archive_months"]


def blog(request):
    return {"blog": Blog()}
