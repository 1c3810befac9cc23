"""Comment and like URLs (contract: /comments/post/, /comments/reply/<id>/, confirm, mute, like,
the comment feeds).

Not namespaced: django-comments and xtd reverse these names themselves. Only xtd's post and
reply views are routed; its confirm/, mute/ and api/ URLs (pickled, GET-acting) are not.
"""

import re

from django.urls import path, re_path

from articles.converters import PERMALINK
from articles.models import RESERVED_SLUGS

from . import feeds, views

# A page's comment feed: <page URL>feed/, the page's path at any depth, Unicode slugs too. No
# page's path starts with one of the site's own first segments (or a year), so this never takes
# the address of another feed (/category/<slug>/feed/ and its kin, after these URLs).
NOT_THE_SITES_OWN = "(?!(?i:" + "|".join(map(re.escape, sorted(RESERVED_SLUGS))) + r"|\d{4})/)"
PAGE_FEED = rf"^{NOT_THE_SITES_OWN}(?P<path>[-\w]+(?:/[-\w]+)*)/feed/$"

urlpatterns = [
    path("comments/post/", views.post, name="comments-post-comment"),
    path("comments/check/", views.check, name="comments-check"),
    path("comments/posted/", views.posted, name="comments-comment-done"),
    # xtd's reply view reverses this name for its default "next" (our form sends none).
    path("comments/posted/", views.posted, name="comments-xtd-sent"),
    path("comments/reply/<int:cid>/", views.reply, name="comments-xtd-reply"),
    path("comments/confirm/<str:token>/", views.confirm, name="comments-confirm"),
    path("comments/mute/<str:token>/", views.mute, name="comments-mute"),
    path("comments/feed/", feeds.LatestCommentsFeed(), name="comments-feed"),
    path(f"{PERMALINK}feed/", feeds.ArticleCommentsFeed(), name="article-comments-feed"),
    re_path(PAGE_FEED, feeds.PageCommentsFeed(), name="page-comments-feed"),
    path(f"{PERMALINK}like/", views.like, name="article-like"),
    path(f"{PERMALINK}unlike/", views.like, {"undo": True}, name="article-unlike"),
]
