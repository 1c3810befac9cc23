"""What a task worker does before its loop starts, whichever backend it runs (db_worker, rqworker).

A worker killed in the middle of a batch leaves the rest of the batch unsent, and its task
marked "running" (django-tasks-db) or "started" (RQ) for ever: neither queue would look at it
again. So before the loop starts, the worker runs the subscriptions sweep (re-queue every
pending delivery, flag rows caught mid-send) and makes sure one periodic sweep is waiting, and
the operations heartbeat starts.
"""

import logging

from django.conf import settings

from ops import periodic
from ops import worker as ops_worker

from .tasks import recover, sweep_deliveries

logger = logging.getLogger("subscriptions")


def start_up(stdout, verbosity):
    try:
        found = recover()
        periodic.ensure(sweep_deliveries, settings.SUBSCRIPTIONS_SWEEP_SECONDS)
    except Exception:
        # The worker must run even if the sweep cannot: the periodic one will try again.
        logger.exception("The start-up sweep failed")
    else:
        if verbosity >= 1:
            articles = set(found.unqueued_articles) | set(found.owed_articles)
            stdout.write(
                f"Start-up sweep: {len(articles)} article(s) with mail owed re-queued, "
                f"{found.interrupted} delivery(ies) caught mid-send flagged for staff."
            )
    try:
        ops_worker.started()
    except Exception:
        logger.exception("The worker's heartbeat could not start")
