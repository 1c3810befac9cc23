"""The admin site: the dashboard as its index, internal models out of staff's sight."""

from django.contrib import admin
from django.template.response import TemplateResponse

# Rows the site keeps for itself. Editors and Authors never need to open them from a menu
# (the dashboard links to the deliveries that need a decision); a superuser still sees them.
INTERNAL_MODELS = frozenset(
    {
        "django_tasks_database.dbtaskresult",
        "sites.site",
        "subscriptions.suppression",
        "subscriptions.delivery",
        "guard.ratelimitcounter",
        "comments.like",
    }
)


class StudioSite(admin.AdminSite):
    index_title = "Dashboard"

    def _build_app_dict(self, request, label=None):
        apps = super()._build_app_dict(request, label)
        if request.user.is_superuser:
            return apps
        shown = {}
        for app_label, app in apps.items():
            models = [
                model
                for model in app["models"]
                if f"{app_label}.{model['object_name'].lower()}" not in INTERNAL_MODELS
            ]
            if models:
                shown[app_label] = {**app, "models": models}
        return shown

    def index(self, request, extra_context=None):
        # Not at import time: this module is loaded while the apps' admin modules register.
        from . import dashboard

        context = {
            **self.each_context(request),
            "title": self.index_title,
            "subtitle": None,
            "app_list": self.get_app_list(request),
            **dashboard.panels(request),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "studio/dashboard.html", context)
