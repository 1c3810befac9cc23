"""The reviewers' weekly mail through the real worker: sent once, not again the same week."""

import pytest

from medreview.models import ReviewReminder
from medreview.tasks import remind_reviewers
from ops.models import Schedule
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_mails_each_reviewer_once_a_week_however_often_it_runs(
    task_queue, smtp_server, start_worker
):
    reviewer = AuthorFactory(name="Dr. Ana Lee", user=UserFactory(email="lee@practice.example"))
    ArticleFactory(title="Sciatica basics", reviewed_by=reviewer, last_reviewed=None)
    # The periodic run every second: many runs within the same week.
    worker = start_worker(MEDICAL_REVIEW_REMINDER_SECONDS=1)
    assert smtp_server.wait_for(1), worker.output()
    runs = lambda: Schedule.objects.filter(task_path=remind_reviewers.module_path)  # noqa: E731
    wait_until(lambda: runs().exclude(last_run_at=None).exists(), message=worker.output)
    first = runs().get().last_run_at
    # Two more runs after the one that sent: neither mails again.
    wait_until(lambda: runs().get().last_run_at > first, message=worker.output)
    second = runs().get().last_run_at
    wait_until(lambda: runs().get().last_run_at > second, message=worker.output)
    assert smtp_server.count_to() == {"lee@practice.example": 1}
    assert ReviewReminder.objects.get().status == ReviewReminder.Status.SENT
