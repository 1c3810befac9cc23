from django.apps import AppConfig
from django.db.models.signals import post_save


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Followers by email"
    # What the staff groups may do here (articles.groups).
    staff_permissions = {
        "Editors": ["delivery", "digest", "follower", "notification", "suppression"]
    }

    def ready(self):
        from articles import signals as articles_signals

        from . import checks  # noqa: F401  (registers the system checks)
        from .services import confirmation_requested
        from .signals import article_saved, publication_audience, publication_sample
        from .tasks import queue_confirmation

        post_save.connect(
            article_saved, sender="articles.Article", dispatch_uid="subscriptions.article_saved"
        )
        confirmation_requested.connect(
            queue_confirmation, dispatch_uid="subscriptions.queue_confirmation"
        )
        # The publish step's confirmation names how many followers will be mailed, and its
        # "Send me a test email" sends our new-article mail to the staff member alone.
        articles_signals.publication_audience.connect(
            publication_audience, dispatch_uid="subscriptions.publication_audience"
        )
        articles_signals.publication_sample.connect(
            publication_sample, dispatch_uid="subscriptions.publication_sample"
        )
