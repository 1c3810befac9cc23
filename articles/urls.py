from django.contrib.sitemaps.views import sitemap
from django.urls import path

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
    path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category-feed"),
    path("category/<slug:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category-feed-atom"),
    path("author/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("author/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    *paginated("", views.HomeView.as_view(), "home"),
    *paginated("category/<slug:slug>/", views.CategoryView.as_view(), "category"),
    *paginated("tag/<slug:slug>/", views.TagView.as_view(), "tag"),
    *paginated("author/<slug:slug>/", views.AuthorView.as_view(), "author"),
    *paginated("<yyyy:year>/", views.DateArchiveView.as_view(), "year"),
    *paginated("<yyyy:year>/<dd:month>/", views.DateArchiveView.as_view(), "month"),
    path(PERMALINK, views.article_detail, name="detail"),
    path(f"{PERMALINK}print/", views.article_print, name="print"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("<slug:slug>/", views.page_detail, name="page"),
]
