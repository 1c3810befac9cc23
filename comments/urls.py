"""Comment and like URLs (contract: /comments/post/, /comments/reply/<id>/, confirm, mute, like,
the comment feeds).

Not namespaced: django-comments and xtd reverse these names themselves. Only xtd's post and
reply views are routed; its confirm/, mute/ and api/ URLs (pickled, GET-acting) are not.
"""

from django.urls import path

from articles.converters import PERMALINK

from . import feeds, views

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
    # A page's comments ("feed" is a reserved slug, so no page is called that).
    path("<slug:slug>/feed/", feeds.PageCommentsFeed(), name="page-comments-feed"),
    path(f"{PERMALINK}like/", views.like, name="article-like"),
    path(f"{PERMALINK}unlike/", views.like, {"undo": True}, name="article-unlike"),
]
