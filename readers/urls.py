from django.urls import path

from . import views

app_name = "readers"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/comments/<int:pk>/delete/", views.delete_comment, name="delete-comment"),
    path("account/follow-ups/<int:article_pk>/", views.followups, name="followups"),
    path("account/follow/", views.follow_blog, name="follow"),
    path("account/my-data.json", views.download, name="download"),
    path("account/delete/", views.delete, name="delete"),
]
