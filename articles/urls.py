from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from . import feeds, views
from .converters import PERMALINK
from .sitemaps import SITEMAPS

app_name = "articles"


def paginated(route, view, name):
    """An archive at `route` and its further pages at `route`page/<n>/."""
    return [
        path(route, view, name=name),
        path(f"{route}page/<int:page>/", view, name=name),
    ]


urlpatterns = [
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("category/<wpslug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("category/<wpslug:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category-feed-atom"),
    path("tag/<wpslug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tag/<wpslug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    *paginated("", views.HomeView.as_view(), "home"),
    *paginated("category/<wpslug:slug>/", views.CategoryView.as_view(), "category"),
    *paginated("tag/<wpslug:slug>/", views.TagView.as_view(), "tag"),
    *paginated("author/<slug:slug>/", views.AuthorView.as_view(), "author"),
    *paginated("<yyyy:year>/", views.DateArchiveView.as_view(), "year"),
    *paginated("<yyyy:year>/<dd:month>/", views.DateArchiveView.as_view(), "month"),
    *paginated("<yyyy:year>/<dd:month>/<dd:day>/", views.DateArchiveView.as_view(), "day"),
    path(PERMALINK, views.article_detail, name="detail"),
    path(f"{PERMALINK}print/", views.article_print, name="print"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    # A page at /<slug>/ or below its parents, /<parent>/<slug>/, at any depth; Unicode slugs
    # too. Last: every other address of the site comes first.
    re_path(r"^(?P<path>[-\w]+(?:/[-\w]+)*)/$", views.page_detail, name="page"),
]
