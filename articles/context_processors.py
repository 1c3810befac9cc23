from functools import cached_property

from .models import Article, Page, SiteSettings
from .selectors import archive_months, categories_with_counts

RECENT_COUNT = 5


def build_chrome():
    return {
        "settings": SiteSettings.load(),
        # Top-level pages only: subpages are reached from their parents, as on the old blog.
        "menu_pages": list(
            Page.objects.published().filter(parent__isnull=True).only("title", "slug", "path")
        ),
    }


class Blog:
    """The site chrome (header, menu, sidebar), queried only if a template uses it.

    The same for every page and every reader. The header's part (site settings and menu pages,
    two queries) is kept as the "chrome" fragment; the sidebar's lists (three queries) are read
    only while the sidebar's own fragment is rendered, once per content version.
    """

    def __init__(self, request):
        self.request = request

    @cached_property
    def _chrome(self):
        return self.request.fragments.fetch("chrome", build_chrome)

    @property
    def settings(self):
        return self._chrome["settings"]

    @property
    def menu_pages(self):
        return self._chrome["menu_pages"]

    @cached_property
    def categories(self):
        return list(categories_with_counts())

    @cached_property
    def recent_articles(self):
        return list(
            Article.objects.published()
            .order_by("-published_at")
            .only("title", "slug", "published_at", "status")[:RECENT_COUNT]
        )

    @cached_property
    def archive_months(self):
        return archive_months()


def blog(request):
    return {"blog": Blog(request)}
