from django.apps import AppConfig
from django.db.models.signals import post_save


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Followers by email"
    # What the staff groups may do here (articles.groups).
    staff_permissions = {"Editors": ["delivery", "follower", "notification", "suppression"]}

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .services import confirmation_requested
        from .signals import article_saved
        from .tasks import queue_confirmation

        post_save.connect(
            article_saved, sender="articles.Article", dispatch_uid="subscriptions.article_saved"
        )
        confirmation_requested.connect(
            queue_confirmation, dispatch_uid="subscriptions.queue_confirmation"
        )
