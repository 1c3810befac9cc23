from functools import cached_property

from .models import Article, Page, SiteSettings, archive_months, categories_with_counts

RECENT_COUNT = 5


class Blog:
    """The site chrome (header, menu, sidebar), queried only if a template uses it."""

    @cached_property
    def settings(self):
        return SiteSettings.load()

    @cached_property
    def menu_pages(self):
        return list(Page.objects.published().only("title", "slug"))

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
    return {"blog": Blog()}
