"""Delivering new-article mail: fan-out, batches over one SMTP connection, retries, recovery.

The Delivery rows are the record of what is owed; tasks only say "look at the rows now". Every
function here can run twice, or in two workers at once, without mailing anyone twice:

- `fan_out` creates the rows for an article once (the Notification's `queued_at` is claimed
  with a conditional UPDATE, and the rows are unique per follower and article).
- `send_batch` claims each row just before handing it to the mail server (pending → sending,
  conditional on it still being pending and its follower still active) and records it as sent in
  the same short transaction that claims the next one. A worker that dies mid-batch therefore
  leaves at most one row in "sending": the one the server may or may not have accepted.
- `sweep` finds such rows (in "sending" for longer than SUBSCRIPTIONS_SENDING_TIMEOUT) and marks
  them "caught mid-send" for staff to decide, rather than sending them a second time; and it
  lists the work that is owed but has no task (lost tasks, killed workers, retries that are due).
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.seo import absolute_url
from mailer import staff
from mailer.compose import build
from mailer.failures import Kind, backoff, classify, describe, schedule_length

from . import services
from .mail import NewArticleMail
from .models import Delivery, Follower, Notification

logger = logging.getLogger(__name__)

# Staff hear about a relay problem once it has failed this many times in a row for a batch
# (about 20 minutes with the default delays), and again when a delivery is given up.
ALERT_AFTER_ATTEMPTS = 3
INTERRUPTED_ERROR = (
    "The worker stopped while handing this mail to the mail server, so it may or may not have "
    "arrived. It is not sent again automatically: use “Send again” if the follower did not "
    "get it, or “Mark as sent” if they did."
)

CAUGHT_SUMMARY = (
    "{count} mail(s) were being handed to the mail server when the connection or the worker "
    "stopped. They may or may not have arrived: they are listed as “caught mid-send” and are "
    "not sent again unless you choose to."
)


@dataclass
class BatchResult:
    sent: int = 0
    bounced: int = 0
    full: bool = False
    retry_at: object = None  # a datetime when the batch stopped on a relay problem


@dataclass
class SweepResult:
    interrupted: int = 0
    unqueued_articles: list = field(default_factory=list)
    owed_articles: list = field(default_factory=list)


def audience():
    """Who is mailed about a new article: every active follower (fan_out makes their rows)."""
    return Follower.objects.active()


def fan_out(article_id):
    """Owe every active follower one mail about a public article; returns how many, or None.

    None when there is nothing to do: the article is not public (yet), its notification was
    cancelled, or the rows were already made.
    """
    now = timezone.now()
    with transaction.atomic():
        if not Article.objects.published().filter(pk=article_id).exists():
            return None
        claimed = Notification.objects.filter(article_id=article_id, queued_at__isnull=True).update(
            queued_at=now
        )
        if not claimed:
            return None
        follower_ids = list(audience().values_list("pk", flat=True))
        Delivery.objects.bulk_create(
            [
                Delivery(article_id=article_id, follower_id=pk, next_attempt_at=now, created_at=now)
                for pk in follower_ids
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        Notification.objects.filter(article_id=article_id).update(recipients=len(follower_ids))
    return len(follower_ids)


def send_batch(article_id):
    """Send up to SUBSCRIPTIONS_BATCH_SIZE due mails for one article over one SMTP connection."""
    result = BatchResult()
    article = Article.objects.published().select_related("author").filter(pk=article_id).first()
    if article is None:
        # Unpublished while its mail was going out: the rest wait until it is public again.
        return result
    rows = list(
        Delivery.objects.due()
        .filter(article=article)
        .select_related("follower")
        .order_by("pk")[: settings.SUBSCRIPTIONS_BATCH_SIZE]
    )
    if not rows:
        return result
    result.full = len(rows) == settings.SUBSCRIPTIONS_BATCH_SIZE
    mail = NewArticleMail(article)
    # fail_silently=False: the backend must tell us which message failed and why.
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        result.retry_at = postpone(article, None, rows, describe(exc))
        return result

    accepted = None  # the row whose mail the server has just accepted, not yet recorded
    try:
        for index, row in enumerate(rows):
            message = mail.for_follower(row.follower)
            claimed = claim(row, after=accepted)
            accepted = None
            if not claimed:
                continue  # another worker has it, or the follower has left
            try:
                connection.send_messages([message])
            except Exception as exc:
                failure = classify(exc)
                if failure.kind == Kind.BOUNCED:
                    record_bounce(row, failure.description)
                    result.bounced += 1
                    continue
                if failure.may_have_arrived:
                    # The connection broke while the message was on its way: the server may
                    # have it. Don't guess; staff decide. The rest of the batch waits.
                    record_interrupted(row, failure.description)
                    alert_staff(article, failure.description, CAUGHT_SUMMARY.format(count=1))
                    result.retry_at = postpone(
                        article, None, rows[index + 1 :], failure.description
                    )
                    return result
                # The server answered with a refusal (sender, data, authentication, a deferred
                # recipient): it did not take the message, so it is safe to send it again later.
                result.retry_at = postpone(article, row, rows[index + 1 :], failure.description)
                return result
            accepted = row
            result.sent += 1
    finally:
        if accepted is not None:
            record_sent(accepted)
        try:
            connection.close()
        except Exception:  # a broken connection cannot be closed politely; it is closed anyway
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    return result


def claim(row, after=None):
    """Record `after` as sent and take `row` for sending, in one short transaction."""
    now = timezone.now()
    with transaction.atomic():
        if after is not None:
            record_sent(after, now)
        return (
            Delivery.objects.filter(
                pk=row.pk, status=Delivery.Status.PENDING, follower__status=Follower.Status.ACTIVE
            ).update(status=Delivery.Status.SENDING, claimed_at=now, updated_at=now)
            == 1
        )


def record_sent(row, now=None):
    now = now or timezone.now()
    # "interrupted" too: a slow send may have been flagged by a sweep; we know better now.
    Delivery.objects.filter(
        pk=row.pk, status__in=[Delivery.Status.SENDING, Delivery.Status.INTERRUPTED]
    ).update(
        status=Delivery.Status.SENT,
        sent_at=now,
        attempts=F("attempts") + 1,
        last_error="",
        updated_at=now,
    )


def record_bounce(row, error):
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.BOUNCED,
            attempts=F("attempts") + 1,
            last_error=error,
            updated_at=now,
        )
        services.bounce(row.follower)


def record_interrupted(row, error):
    Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.INTERRUPTED,
        attempts=F("attempts") + 1,
        last_error=f"{error}\n{INTERRUPTED_ERROR}",
        updated_at=timezone.now(),
    )


def mark_delivered(deliveries):
    """Staff know a mail caught mid-send did arrive: record it as sent."""
    now = timezone.now()
    return deliveries.filter(status=Delivery.Status.INTERRUPTED).update(
        status=Delivery.Status.SENT, sent_at=now, updated_at=now
    )


def reset_for_retry(deliveries):
    """Put failed or caught-mid-send deliveries back in the queue; returns their articles."""
    now = timezone.now()
    rows = deliveries.filter(
        status__in=[Delivery.Status.FAILED, Delivery.Status.INTERRUPTED],
        follower__status=Follower.Status.ACTIVE,
    )
    article_ids = set(rows.values_list("article_id", flat=True).order_by())
    count = rows.update(
        status=Delivery.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        claimed_at=None,
        updated_at=now,
    )
    return count, sorted(article_ids)


def postpone(article, claimed, rest, error):
    """The relay failed: put the batch back with a later time, or give up after the last delay.

    Returns when the batch should be tried again (None when every row was given up).
    """
    rows = ([claimed] if claimed else []) + list(rest)
    if not rows:
        return None
    attempts = max(row.attempts for row in rows) + 1
    # Follower mail's policy: one attempt after each of MAIL_RETRY_DELAYS, then given up.
    max_attempts = schedule_length()
    now = timezone.now()
    retry_at = now + backoff(attempts)
    # Only rows this batch holds: its claimed row, and the rest while still pending (another
    # worker may have taken some of them meanwhile).
    owed = Delivery.objects.filter(pk__in=[r.pk for r in rest], status=Delivery.Status.PENDING)
    if claimed:
        owed = owed | Delivery.objects.filter(pk=claimed.pk, status=Delivery.Status.SENDING)
    changes = {"attempts": F("attempts") + 1, "last_error": error, "updated_at": now}
    with transaction.atomic():
        given_up = owed.filter(attempts__gte=max_attempts - 1).update(
            status=Delivery.Status.FAILED, **changes
        )
        # The rows just given up are "failed" now, so `owed` no longer matches them.
        waiting = owed.update(status=Delivery.Status.PENDING, next_attempt_at=retry_at, **changes)
    logger.warning(
        "New-article mail for %r stopped: %s. %d waiting until %s, %d given up.",
        article.title,
        error,
        waiting,
        retry_at.isoformat(),
        given_up,
    )
    if given_up:
        alert_staff(
            article,
            error,
            f"{given_up} mail(s) could not be sent after {max_attempts} attempts and are given "
            "up. Use “Send again” on the failed deliveries once the mail server works.",
        )
    elif attempts == ALERT_AFTER_ATTEMPTS:
        alert_staff(
            article,
            error,
            f"The mail server has refused or failed {attempts} times in a row. {waiting} "
            f"mail(s) wait and will be tried again from {timezone.localtime(retry_at):%H:%M}.",
        )
    return retry_at if waiting else None


def sweep(now=None):
    """Flag rows caught mid-send by a dead worker; list the articles whose work has no task."""
    now = now or timezone.now()
    result = SweepResult()
    stale = now - timedelta(seconds=settings.SUBSCRIPTIONS_SENDING_TIMEOUT)
    caught = list(
        Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lte=stale)
        .select_related("article")
        .order_by("pk")
    )
    for row in caught:
        record_interrupted(row, "The worker sending it stopped.")
    result.interrupted = len(caught)
    if caught:
        alert_staff(
            caught[0].article,
            "a worker stopped in the middle of a batch",
            CAUGHT_SUMMARY.format(count=len(caught)),
        )
    public = Article.objects.published().values("pk")
    result.unqueued_articles = list(
        Notification.objects.filter(queued_at__isnull=True, article__in=public)
        .order_by("created_at")
        .values_list("article_id", flat=True)
    )
    result.owed_articles = list(
        Delivery.objects.due(now)
        .filter(article__in=public)
        .order_by("article_id")
        .values_list("article_id", flat=True)
        .distinct()
    )
    return result


def alert_staff(article, error, summary):
    logger.error("New-article mail for %r: %s. %s", article.title, error, summary)
    # ADMINS and the Editors, who publish (so mail goes out).
    recipients = staff.group_and_admins("Editors")
    if not recipients:
        return
    context = {
        "article": article,
        "error": error,
        "summary": summary,
        "deliveries_url": absolute_url(
            reverse("admin:subscriptions_delivery_changelist") + f"?article__id__exact={article.pk}"
        ),
    }
    message = build("delivery_problem", context, recipients, from_email=settings.SERVER_EMAIL)
    # The relay that failed may carry this too; the admin and the log show it regardless.
    message.send(fail_silently=True)
