"""Background work, through the django_tasks API (django-tasks-db by default).

Tasks carry ids only and check everything again when they run: the article may have been
unpublished, the follower may have left, another worker may have done the work already.
django-tasks 0.12 has no retry or cancel: a task that must run again enqueues itself with
`run_after`, and `recover()` (at worker start and every SUBSCRIPTIONS_SWEEP_SECONDS) re-queues
whatever the database says is owed, so a lost task never loses mail.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django_tasks import task

from mailer.failures import backoff
from ops import periodic
from ops.db import durably

from . import delivery, digests
from .mail import NewArticleMail, confirmation_message
from .models import Delivery, Follower

logger = logging.getLogger(__name__)

# The reader is waiting for this mail: a couple more tries (after the first MAIL_RETRY_DELAYS),
# then they may ask again straight away.
CONFIRMATION_ATTEMPTS = 3


def enqueue_at(a_task, when, *args):
    """Enqueue `a_task` to run at `when`; returns None if the backend cannot run it later.

    The `immediate` backend refuses `run_after`; then the periodic sweep does the work once it
    is due, and whatever called us (a staff member's save) carries on.
    """
    if when is not None and when > timezone.now():
        if not a_task.get_backend().supports_defer:
            logger.info("%s not scheduled for %s: the task backend cannot defer", a_task.name, when)
            return None
        a_task = a_task.using(run_after=when)
    return a_task.enqueue(*args)


@task()
def send_confirmation(follower_id, attempt=1):
    follower = Follower.objects.filter(pk=follower_id, status=Follower.Status.PENDING).first()
    if follower is None:
        return "not pending"
    try:
        confirmation_message(follower).send(fail_silently=False)
    except Exception:
        logger.warning("Confirmation mail to follower %s failed", follower_id, exc_info=True)
        if attempt < CONFIRMATION_ATTEMPTS:
            enqueue_at(
                send_confirmation, timezone.now() + backoff(attempt), follower_id, attempt + 1
            )
        else:
            # No resend pause: the form mails them again as soon as they ask.
            Follower.objects.filter(pk=follower_id).update(confirmation_sent_at=None)
        return "failed"
    return "sent"


def queue_confirmation(sender, follower_id, **kwargs):
    """`services.confirmation_requested`'s receiver (after commit)."""
    send_confirmation.enqueue(follower_id)


@task()
def send_sample(article_id, published_at, address):
    """The new-article mail as followers will get it, to one staff member; nothing recorded.

    The article may not be public yet: the mail links to the address it will have then.
    """
    from datetime import datetime

    from articles.models import Article

    article = Article.objects.select_related("author").filter(pk=article_id).first()
    if article is None:
        return "no article"
    article.status = Article.Status.PUBLISHED  # in memory only: its future permalink
    article.published_at = datetime.fromisoformat(published_at)
    NewArticleMail(article).sample(address).send(fail_silently=False)
    return "sent"


@task()
def notify_followers(article_id):
    """Make the article's deliveries (once) and start sending them."""
    count = delivery.fan_out(article_id)
    if count:
        start_sending(article_id)
    return count


def start_sending(article_id):
    """SUBSCRIPTIONS_SENDERS chains of batches for one article: as many workers as there are
    (up to that) share its mail, each claiming its own chunks (delivery.claim)."""
    for _ in range(settings.SUBSCRIPTIONS_SENDERS):
        send_deliveries.enqueue(article_id)


def one_batch(task, send_batch, target_id, what):
    """One batch over one SMTP connection; the next batch is a new task.

    A batch that failed on the database (a restart, a dropped connection) is queued again a
    few seconds later on a fresh connection, rather than left for the periodic sweep.
    """
    try:
        result = send_batch(target_id)
    except (OperationalError, InterfaceError):
        logger.warning("A batch of %s %s failed on the database", what, target_id, exc_info=True)
        when = timezone.now() + timedelta(seconds=settings.SUBSCRIPTIONS_DB_RETRY_SECONDS)
        durably(enqueue_at, task, when, target_id)
        return {"requeued": when.isoformat()}
    if result.retry_at:
        enqueue_at(task, result.retry_at, target_id)
    elif result.full:
        task.enqueue(target_id)
    return {"sent": result.sent, "bounced": result.bounced, "deferred": result.deferred}


@task()
def send_deliveries(article_id):
    """One batch of an article's new-article mail (one_batch)."""
    return one_batch(send_deliveries, delivery.send_batch, article_id, "article")


@task()
def send_digests(digest_id):
    """One batch of a weekly digest (one_batch)."""
    return one_batch(send_digests, digests.send_batch, digest_id, "digest")


def retry_deliveries(deliveries):
    """Staff asked to send these again (the admin's retry actions)."""
    digest_ids = set(
        deliveries.filter(
            digest__isnull=False,
            status__in=[Delivery.Status.FAILED, Delivery.Status.INTERRUPTED],
        )
        .values_list("digest_id", flat=True)
        .order_by()
    )
    count, article_ids = delivery.reset_for_retry(deliveries)
    for article_id in article_ids:
        transaction.on_commit(partial(send_deliveries.enqueue, article_id), robust=True)
    for digest_id in sorted(digest_ids):
        transaction.on_commit(partial(send_digests.enqueue, digest_id), robust=True)
    return count


def recover():
    """Re-queue what the database says is owed; safe to run at any time, as often as wanted."""
    found = delivery.sweep()
    for article_id in found.unqueued_articles:
        notify_followers.enqueue(article_id)
    for article_id in found.owed_articles:
        start_sending(article_id)
    # The week's digest is made here, once its time has come (and never twice).
    digests.make_due()
    for digest_id in digests.owed():
        send_digests.enqueue(digest_id)
    return found


@task()
def sweep_deliveries():
    """The periodic sweep: recover every SUBSCRIPTIONS_SWEEP_SECONDS, in one chain of runs
    however many workers started one (ops.periodic)."""
    if not periodic.claim(sweep_deliveries, settings.SUBSCRIPTIONS_SWEEP_SECONDS):
        return "another sweep is due"
    found = recover()
    return {
        "interrupted": found.interrupted,
        "articles": sorted(set(found.unqueued_articles) | set(found.owed_articles)),
    }
