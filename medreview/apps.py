from django.apps import AppConfig
from django.conf import settings


class MedReviewConfig(AppConfig):
    name = "medreview"
    verbose_name = "Medical review"
    # Editors see the log of the reviewers' weekly mail.
    staff_permissions = {"Editors": ["view_reviewreminder"]}

    def ready(self):
        from ops import periodic

        from .tasks import remind_reviewers

        periodic.register(remind_reviewers, lambda: settings.MEDICAL_REVIEW_REMINDER_SECONDS)
