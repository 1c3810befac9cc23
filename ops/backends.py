from django.core.exceptions import ImproperlyConfigured
from django_tasks.backends.base import BaseTaskBackend


class UnusableBackend(BaseTaskBackend):
    """Stands in for the rq backend when it cannot work (no REDIS_URL, or not installed).

    The system check (ops.checks) stops start-up with the reason; a process that skips checks
    gets the same reason from the first task it queues, instead of work silently going nowhere.
    """

    # Callers that would skip a deferred task on a backend unable to defer must still come here.
    supports_defer = True

    def enqueue(self, task, args, kwargs):
        from .checks import rq_problems

        raise ImproperlyConfigured(" ".join(message for _id, message, _hint in rq_problems()))
