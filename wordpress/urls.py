"""The old blog's addresses that are not ours (see `old_links`). Included before the articles'
URLs; none of them may take an address of the contract (an article's feed/, a category's page/
and feed/)."""

from django.urls import path, re_path, register_converter

from articles.converters import PERMALINK, WordPressSlug

from . import views

app_name = "wordpress"


class PostSuffix(WordPressSlug):
    # Never "feed" or "print": <article URL>feed/ is the article's comment feed in the contract,
    # <article URL>print/ its printable handout.
    regex = r"(?!(?:feed|print)/)[-\w]+"


register_converter(PostSuffix, "wpsuffix")

urlpatterns = [
    path(f"{PERMALINK}<wpsuffix:suffix>/", views.post_suffix, name="post-suffix"),
    # WordPress's subcategory address; never a category's own page/<n>/ or feed/.
    re_path(
        r"^category/(?P<path>(?:(?!page/|feed/)[-\w]+/){2,})$",
        views.category_path,
        name="category-path",
    ),
]
