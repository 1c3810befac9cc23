from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path, register_converter

from . import feeds, views
from .converters import PERMALINK, WordPressSlug
from .sitemaps import SITEMAPS

app_name = "articles"


class PostSuffix(WordPressSlug):
    # Never "feed": <article URL>feed/ is the article's comment feed in the contract.
    regex = r"(?!feed/)[-\w]+"


register_converter(PostSuffix, "wpsuffix")


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
    # WordPress's subcategory address; never a category's own page/<n>/ or feed/.
    re_path(
        r"^category/(?P<path>(?:(?!page/|feed/)[-\w]+/){2,})$",
        views.category_path,
        name="category-path",
    ),
    *paginated("tag/<slug:slug>/", views.TagView.as_view(), "tag"),
    *paginated("author/<slug:slug>/", views.AuthorView.as_view(), "author"),
    *paginated("<yyyy:year>/", views.DateArchiveView.as_view(), "year"),
    *paginated("<yyyy:year>/<dd:month>/", views.DateArchiveView.as_view(), "month"),
    path(PERMALINK, views.article_detail, name="detail"),
    path(f"{PERMALINK}<wpsuffix:suffix>/", views.post_suffix, name="post-suffix"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("<slug:slug>/", views.page_detail, name="page"),
]
