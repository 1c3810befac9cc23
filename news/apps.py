from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News from other sites"

    def ready(self):
        from ops.signals import worker_started

        from .tasks import schedule

        # Each task worker, as it starts, makes sure one periodic fetch is waiting.
        worker_started.connect(schedule, dispatch_uid="news-schedule")
