from django.apps import AppConfig
from django.conf import settings


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        from ops import periodic

        from .tasks import purge

        periodic.register(purge, lambda: settings.PRIVACY_PURGE_SECONDS)
