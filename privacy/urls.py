from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.request_data, name="request"),
    path("my-data/sent/", views.sent, name="sent"),
    path("my-data/<str:token>/", views.download, name="download"),
]
