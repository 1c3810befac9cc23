from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class StudioAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the staff dashboard as its site (studio.sites.StudioSite)."""

    default = False  # "studio" alone means StudioConfig
    default_site = "studio.sites.StudioSite"


class StudioConfig(AppConfig):
    """The staff side: the dashboard and what it shows. The one app that knows all the others."""

    default = True
    name = "studio"
    verbose_name = "Staff dashboard"
