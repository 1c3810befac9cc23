from django.conf import settings
from django_tasks import task

from ops import periodic

from . import reminders


@task()
def remind_reviewers():
    """Every MEDICAL_REVIEW_REMINDER_SECONDS, in one chain (ops.periodic): promise this week's
    reminders, then send what is owed. Each reviewer still gets one a week at most."""
    if not periodic.claim(remind_reviewers, settings.MEDICAL_REVIEW_REMINDER_SECONDS):
        return "another run is due"
    return {"promised": reminders.promise(), "sent": reminders.send_due()}
