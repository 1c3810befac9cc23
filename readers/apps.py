from django.apps import AppConfig
from django.conf import settings


class ReadersConfig(AppConfig):
    name = "readers"
    verbose_name = "Reader accounts"

    def ready(self):
        from ops import periodic

        from .tasks import purge

        periodic.register(purge, lambda: settings.PRIVACY_PURGE_SECONDS)
