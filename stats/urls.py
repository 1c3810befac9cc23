from django.urls import path

from . import views

app_name = "stats"
BEACON_PATH = "/stats/beacon/"  # also answered early by stats.middleware.BeaconMiddleware

urlpatterns = [
    path(BEACON_PATH.lstrip("/"), views.beacon, name="beacon"),
    # Before the admin's own URLs: /admin/stats/ is the statistics, not a list of tables.
    path("admin/stats/", views.dashboard, name="dashboard"),
    path("admin/stats/export/<slug:kind>.csv", views.export_csv, name="export"),
]
