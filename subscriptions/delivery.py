"""Delivering new-article mail: fan-out, batches over one SMTP connection, retries, recovery.

The Delivery rows are the record of what is owed; tasks only say "look at the rows now". Every
function here can run twice, or in two workers at once, without mailing anyone twice:

- `fan_out` creates the rows for an article once (the Notification's `queued_at` is claimed
  with a conditional UPDATE, and the rows are unique per follower and article).
- `send_batch` claims rows a chunk at a time just before handing them to the mail server
  (pending → sending, conditional on them still being pending and their followers still
  active; `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers share one article's mail)
  and records the chunk's accepted mails as sent in one write when the chunk is done. A worker
  that dies mid-chunk therefore leaves at most that chunk in "sending": mails the server may or
  may not have accepted.
- `sweep` finds such rows (claimed by a process of this host that is gone, or in "sending" for
  longer than SUBSCRIPTIONS_SENDING_TIMEOUT) and marks them "caught mid-send" for staff to
  decide, rather than sending them a second time; and it lists the work that is owed but has
  no task (lost tasks, killed workers, retries that are due).
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.seo import absolute_url
from mailer import staff
from mailer.compose import build
from mailer.failures import (
    RELAY_REFUSAL_STREAK,
    Kind,
    backoff,
    classify,
    describe,
    refusals_look_like_the_relay,
    schedule_length,
)
from ops import worker as ops_worker
from ops.alerts import raise_alert
from ops.db import durably

from . import services
from .mail import NewArticleMail
from .models import Delivery, Digest, Follower, Notification

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
    deferred: int = 0
    full: bool = False
    retry_at: object = None  # when to look again: the relay's retry, or a deferred row's


@dataclass
class SweepResult:
    interrupted: int = 0
    unqueued_articles: list = field(default_factory=list)
    owed_articles: list = field(default_factory=list)


def audience(article_id):
    """Who is mailed about a new article (fan_out makes their rows): the active followers of
    its topics who want an email for each article (weekly ones read it in their digest)."""
    article = Article.objects.filter(pk=article_id)
    return Follower.objects.active().each_article().interested_in(article)


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
        follower_ids = list(audience(article_id).values_list("pk", flat=True))
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
    """Send up to SUBSCRIPTIONS_BATCH_SIZE due mails for one article over one SMTP connection.

    The rows are claimed and recorded a chunk at a time (SUBSCRIPTIONS_CLAIM_CHUNK): two short
    transactions per chunk, not per mail, and on PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
    workers take chunks of one article's mail side by side without waiting on each other.

    A recipient's own problem (a 4xx: deferred on that row's own backoff; a 5xx for the address:
    a bounce) does not stop the batch. The relay's (the connection, the sender, a 421, a 5.7.x
    policy refusal) does: the row tried waits on its own backoff, the rows not tried keep their
    attempt count and wait with it. Refused addresses are judged at the end of the batch: when
    (nearly) every recipient was refused, the relay is the likelier culprit and nobody bounces.
    """
    result = BatchResult()
    article = Article.objects.published().select_related("author").filter(pk=article_id).first()
    if article is None:
        # Unpublished while its mail was going out: the rest wait until it is public again.
        return result
    size = settings.SUBSCRIPTIONS_BATCH_SIZE
    chunk = durably(claim_chunk, article, min(size, settings.SUBSCRIPTIONS_CLAIM_CHUNK))
    if not chunk:
        return result
    mail = NewArticleMail(article)
    # fail_silently=False: the backend must tell us which message failed and why.
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        # Nothing was sent; the first row stands for the batch, so the waits still grow.
        durably(release, chunk)
        first, *rest = due_rows(article, size) or [chunk[0]]
        result.retry_at = postpone(
            article, first, rest, describe(exc), tried_status=Delivery.Status.PENDING
        )
        return result

    batch = _Batch(size=size)
    try:
        while chunk and send_chunk(article, mail, connection, chunk, batch, result):
            room = size - batch.claimed
            chunk = durably(claim_chunk, article, min(room, settings.SUBSCRIPTIONS_CLAIM_CHUNK))
    finally:
        try:
            connection.close()
        except Exception:  # a broken connection cannot be closed politely; it is closed anyway
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    result.full = batch.claimed >= size
    result.bounced = judge_refusals(article, batch)
    if batch.given_up:
        alert_staff(
            article,
            batch.given_up[0],
            f"{len(batch.given_up)} mail(s) could not be sent after {schedule_length()} attempts "
            "and are given up. Use “Send again” on the failed deliveries once the mail server "
            "works.",
        )
    if batch.relay_error:
        result.full = False  # the next batch waits for the relay, at `retry_at`
    elif not result.full:
        result.retry_at = next_due(article)  # deferred rows, each on its own backoff
    return result


def send_chunk(article, mail, connection, rows, batch, result):
    """Hand the claimed `rows` to the server one by one; record the accepted ones together.

    Returns False when the batch must stop (the relay's problem). Until the chunk is recorded,
    its rows stay "sending": a worker killed meanwhile leaves at most this chunk for the sweep
    to flag "caught mid-send", never to send again.
    """
    batch.claimed += len(rows)
    accepted = []
    untried = 0  # index of the first row not yet handed to the server
    try:
        for index, row in enumerate(rows):
            message = mail.for_follower(row.follower)
            untried = index + 1
            batch.tried += 1
            try:
                connection.send_messages([message])
            except Exception as exc:
                failure = classify(exc)
                if failure.kind == Kind.BOUNCED:
                    # Held as "pending, later" until the batch is judged: a killed worker
                    # leaves it to be tried again, never bounced on a guess.
                    durably(defer, row, failure.description, Delivery.Status.SENDING)
                    batch.refused.append((row, failure.description))
                elif failure.kind == Kind.DEFERRED:
                    given_up = durably(defer, row, failure.description, Delivery.Status.SENDING)
                    result.deferred += 1
                    if given_up:
                        batch.given_up.append(failure.description)
                elif failure.may_have_arrived:
                    # The connection broke while the message was on its way: the server may
                    # have it. Don't guess; staff decide. The rest of the batch waits.
                    durably(record_interrupted, row, failure.description)
                    alert_staff(article, failure.description, CAUGHT_SUMMARY.format(count=1))
                    batch.relay_error = failure.description
                    result.retry_at = batch.stop(article, None, rows[untried:], failure.description)
                    untried = len(rows)
                    return False
                else:
                    # The relay refused (the sender, the message, a policy, a 421): it did not
                    # take the message, so it is safe to send it again later.
                    batch.relay_error = failure.description
                    result.retry_at = batch.stop(article, row, rows[untried:], failure.description)
                    untried = len(rows)
                    return False
                if batch.refused_in_a_row() >= RELAY_REFUSAL_STREAK:
                    error = "every recipient refused: " + failure.description
                    batch.relay_error = error
                    result.retry_at = batch.stop(article, None, rows[untried:], error)
                    untried = len(rows)
                    return False
                continue
            accepted.append(row)
            batch.streak_start = batch.tried
            result.sent += 1
        return True
    finally:
        # Also when the database fails under us: what the server took is recorded as sent.
        if accepted:
            durably(record_all_sent, accepted)
        if untried < len(rows):
            durably(release, rows[untried:])


@dataclass
class _Batch:
    size: int = 0
    claimed: int = 0  # rows claimed so far, in all chunks
    # The one-row path (digests): the row whose mail the server has just accepted, not yet
    # recorded.
    accepted: object = None
    tried: int = 0
    streak_start: int = 0  # `tried` when a mail was last accepted
    refused: list = field(default_factory=list)  # (row, error): 5xx for the address
    given_up: list = field(default_factory=list)
    relay_error: str = ""  # set when the batch stopped on the relay's problem

    def refused_in_a_row(self):
        return self.tried - self.streak_start

    def stop(self, article, tried, untried, error):
        """The relay failed: the chunk's untried rows go back, and they and the rest of the
        batch wait with the row tried (postpone). Returns when to try again."""
        durably(release, untried)
        rest = due_rows(article, max(self.size - self.tried, 0))
        return postpone(article, tried, rest, error)


def judge_refusals(article, batch):
    """Bounce the refused addresses, unless it looks like the relay refusing everyone."""
    if not batch.refused:
        return 0
    relays = batch.relay_error or refusals_look_like_the_relay(len(batch.refused), batch.tried)
    if relays:
        # They stay pending on their own backoff: a real bounce bounces again next time.
        alert_staff(
            article,
            batch.refused[0][1],
            f"The mail server refused {len(batch.refused)} of the {batch.tried} addresses it was "
            "given. That looks like a problem of the mail server (its policy or its set-up) "
            "rather than of the addresses, so nobody was unsubscribed: the mail is tried again "
            "later. Check the mail server's settings if it goes on.",
        )
        return 0
    for row, error in batch.refused:
        durably(record_bounce, row, error)
    return len(batch.refused)


def rows_of(subject):
    """The deliveries of an article, or of a weekly digest (`digests`, the same path)."""
    if isinstance(subject, Digest):
        return Delivery.objects.filter(digest=subject)
    return Delivery.objects.filter(article=subject)


def next_due(article):
    """When the article's (or digest's) next pending mail is due (a deferred one), or None."""
    return (
        rows_of(article)
        .filter(status=Delivery.Status.PENDING, follower__status=Follower.Status.ACTIVE)
        .aggregate(when=Min("next_attempt_at"))
        .get("when")
    )


def due_rows(article, limit):
    """The next `limit` rows of the article's mail that are due, in the order batches take them."""
    if limit <= 0:
        return []
    return list(
        Delivery.objects.due().filter(article=article).order_by("pk").only("pk", "attempts")[:limit]
    )


def claim_chunk(article, limit):
    """Take up to `limit` due rows of the article's mail for sending, in one short transaction.

    `SKIP LOCKED` (PostgreSQL): rows another worker is claiming at this moment are left to it
    rather than waited for; it takes the next ones. SQLite has no row locks and needs none: its
    IMMEDIATE transactions hold the write lock from BEGIN, so claims follow one another.
    """
    if limit <= 0:
        return []
    now = timezone.now()
    me = ops_worker.claimant()
    with transaction.atomic():
        ids = list(
            Delivery.objects.due(now)
            .filter(article=article)
            .order_by("pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SENDING, claimed_at=now, claimed_by=me, updated_at=now
        )
    # Only what this claim took (claimed_at is its own), however the rows were locked.
    return list(
        Delivery.objects.filter(
            pk__in=ids, status=Delivery.Status.SENDING, claimed_by=me, claimed_at=now
        )
        .select_related("follower")
        .order_by("pk")
    )


def release(rows):
    """Rows claimed but not handed to the server go back to the queue, as they were."""
    if not rows:
        return 0
    return Delivery.objects.filter(
        pk__in=[row.pk for row in rows],
        status=Delivery.Status.SENDING,
        claimed_by=ops_worker.claimant(),
    ).update(status=Delivery.Status.PENDING, claimed_at=None, updated_at=timezone.now())


def claim(row, after=None):
    """One row at a time (the weekly digests' path): record `after` as sent and take `row` for
    sending, in one short transaction."""
    now = timezone.now()
    with transaction.atomic():
        if after is not None:
            record_sent(after, now)
        return (
            Delivery.objects.filter(
                pk=row.pk, status=Delivery.Status.PENDING, follower__status=Follower.Status.ACTIVE
            ).update(
                status=Delivery.Status.SENDING,
                claimed_at=now,
                claimed_by=ops_worker.claimant(),
                updated_at=now,
            )
            == 1
        )


def record_sent(row, now=None):
    record_all_sent([row], now)


def record_all_sent(rows, now=None):
    """The server accepted these rows' mails: one write for them all."""
    now = now or timezone.now()
    # "interrupted" too: a slow send may have been flagged by a sweep; we know better now.
    Delivery.objects.filter(
        pk__in=[row.pk for row in rows],
        status__in=[Delivery.Status.SENDING, Delivery.Status.INTERRUPTED],
    ).update(
        status=Delivery.Status.SENT,
        sent_at=now,
        attempts=F("attempts") + 1,
        last_error="",
        updated_at=now,
    )


def defer(row, error, status):
    """One attempt at `row` failed for now: it waits on its own backoff, or is given up after
    the last delay. Returns True when given up."""
    now = timezone.now()
    attempts = row.attempts + 1
    changes = {"attempts": F("attempts") + 1, "last_error": error, "updated_at": now}
    if attempts >= schedule_length():
        changes["status"] = Delivery.Status.FAILED
    else:
        changes.update(status=Delivery.Status.PENDING, next_attempt_at=now + backoff(attempts))
    updated = Delivery.objects.filter(pk=row.pk, status=status).update(**changes)
    if updated:
        row.attempts = attempts
    return bool(updated) and changes["status"] == Delivery.Status.FAILED


def record_bounce(row, error):
    """The address was refused for good (judged at the end of its batch): suppress it."""
    now = timezone.now()
    with transaction.atomic():
        # Pending on its own backoff since the refusal (or failed, if that was its last try).
        held = Delivery.objects.filter(
            pk=row.pk, status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]
        ).update(status=Delivery.Status.BOUNCED, last_error=error, updated_at=now)
        if held:
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
    article_ids = set(
        rows.filter(article__isnull=False).values_list("article_id", flat=True).order_by()
    )
    count = rows.update(
        status=Delivery.Status.PENDING,
        attempts=0,
        next_attempt_at=now,
        claimed_at=None,
        updated_at=now,
    )
    return count, sorted(article_ids)


def postpone(article, tried, rest, error, tried_status=Delivery.Status.SENDING):
    """The relay failed: the row `tried` (if any) counts an attempt and waits on its own
    backoff, or is given up after the last delay; the rows not tried (`rest`) keep their
    attempt count and wait as long. `tried` is "sending" (claimed), or still "pending" when the
    connection failed before anything was sent. Returns when the batch should be tried again.
    """
    now = timezone.now()
    attempts = (tried.attempts if tried else max((r.attempts for r in rest), default=0)) + 1
    retry_at = now + backoff(attempts)

    def put_back():
        given_up = waiting = 0
        with transaction.atomic():
            if tried is not None:
                given_up = defer(tried, error, tried_status)
                waiting += not given_up
            # Only rows still pending (another worker may have taken some of them meanwhile).
            waiting += Delivery.objects.filter(
                pk__in=[r.pk for r in rest], status=Delivery.Status.PENDING
            ).update(next_attempt_at=retry_at, last_error=error, updated_at=now)
        return given_up, waiting

    # Over a lost connection too: the row tried was refused, not caught mid-send.
    given_up, waiting = durably(put_back)
    logger.warning(
        "New-article mail for %r stopped: %s. %d waiting until %s, %d given up.",
        article.title,
        error,
        waiting,
        retry_at.isoformat(),
        int(given_up),
    )
    if given_up:
        alert_staff(
            article,
            error,
            f"A mail could not be sent after {schedule_length()} attempts and is given up; "
            f"{waiting} more wait. Use “Send again” on the failed deliveries once the mail "
            "server works.",
        )
    elif attempts == ALERT_AFTER_ATTEMPTS:
        alert_staff(
            article,
            error,
            f"The mail server has refused or failed {attempts} times in a row. {waiting} "
            f"mail(s) wait and will be tried again from {timezone.localtime(retry_at):%H:%M}. "
            "Nobody was unsubscribed: this is the mail server's problem, not the followers'.",
        )
    return retry_at if waiting else next_due(article)


def sweep(now=None):
    """Flag rows caught mid-send by a dead worker; list the articles whose work has no task."""
    now = now or timezone.now()
    result = SweepResult()
    stale = now - timedelta(seconds=settings.SUBSCRIPTIONS_SENDING_TIMEOUT)
    # Left by a worker known to be dead (a process of this host that is gone: caught at the
    # next start, not minutes later), or sending for longer than any live worker would.
    caught = [
        row
        for row in Delivery.objects.filter(status=Delivery.Status.SENDING)
        .select_related("article", "digest")
        .order_by("pk")
        if row.claimed_at <= stale or ops_worker.claimant_gone(row.claimed_by)
    ]
    for row in caught:
        record_interrupted(row, "The worker sending it stopped.")
    result.interrupted = len(caught)
    if caught:
        alert_staff(
            caught[0].article or caught[0].digest,
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
    """Tell ADMINS and the Editors (who publish, so mail goes out); recorded for the dashboard
    whether or not the alert mail itself gets through the relay that failed. `article` may be
    a weekly digest (it has a title too)."""
    logger.error("New-article mail for %r: %s. %s", article.title, error, summary)
    recipients = staff.group_and_admins("Editors")
    field = "digest" if isinstance(article, Digest) else "article"
    url = absolute_url(
        reverse("admin:subscriptions_delivery_changelist") + f"?{field}__id__exact={article.pk}"
    )
    context = {"article": article, "error": error, "summary": summary, "deliveries_url": url}
    message = None
    if recipients:
        message = build("delivery_problem", context, recipients, from_email=settings.SERVER_EMAIL)
    return durably(
        raise_alert,
        "follower mail",
        f"Mail to followers about “{article.title}”",
        summary,
        error,
        url,
        message,
    )
