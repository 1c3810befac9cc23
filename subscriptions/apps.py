from django.apps import AppConfig
from django.db.models.signals import post_save


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Followers by email"
    # What the staff groups may do here (articles.groups).
    staff_permissions = {"Editors": ["delivery", "follower", "notification", "suppression"]}

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .signals import article_saved

        post_save.connect(
            article_saved, sender="articles.Article", dispatch_uid="subscriptions.article_saved"
        )
