"""The weekly digest: the week's new articles, in each weekly follower's topics, once a week.

A `Digest` row per week is the promise, made by the sweep once the week's due time
(SUBSCRIPTIONS_DIGEST_WEEKDAY at SUBSCRIPTIONS_DIGEST_TIME) has passed; its rows in the
delivery log (one per follower and digest, unique) are made once, as for an article, and sent
through the same claim → send → record path as the new-article mail (`delivery`): claimed just
before the mail is handed over, recorded sent in the transaction that claims the next, a row
left "sending" by a dead worker flagged for staff and never sent again on its own.
"""

import datetime
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from mailer.failures import RELAY_REFUSAL_STREAK, Kind, classify, describe
from ops.db import durably

from . import delivery
from .mail import DigestMail
from .models import Delivery, Digest, Follower

logger = logging.getLogger(__name__)

WEEK = timedelta(days=7)
# A week is an hour short when summer time begins.
SLACK = timedelta(hours=2)
# An article the follower already has, or will have, in a mail of its own is left out of their
# digest (they switched from "each article" to "weekly" during the week).
MAILED_ON_ITS_OWN = [
    Delivery.Status.PENDING,
    Delivery.Status.SENDING,
    Delivery.Status.SENT,
    Delivery.Status.INTERRUPTED,
]


def due_period(now=None):
    """(starts_at, ends_at) of the latest digest due at or before `now`: a week, in TIME_ZONE
    (so a digest due at 08:00 stays at 08:00 across a change of summer time)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    at = datetime.time.fromisoformat(settings.SUBSCRIPTIONS_DIGEST_TIME)
    day = local.date() - timedelta(
        days=(local.weekday() - settings.SUBSCRIPTIONS_DIGEST_WEEKDAY) % 7
    )
    ends = timezone.make_aware(datetime.datetime.combine(day, at))
    if ends > now:
        day -= WEEK
        ends = timezone.make_aware(datetime.datetime.combine(day, at))
    starts = timezone.make_aware(datetime.datetime.combine(day - WEEK, at))
    return starts, ends


def week_articles(digest):
    """The public articles published in the digest's week, oldest first."""
    return (
        Article.objects.published()
        .filter(published_at__gte=digest.starts_at, published_at__lt=digest.ends_at)
        .order_by("published_at", "pk")
    )


def articles_for(follower, digest):
    """What `follower`'s digest lists: the week's articles in their topics, less those mailed
    to them on their own."""
    articles = week_articles(digest)
    if not follower.all_topics:
        articles = articles.in_categories(follower.topics.values("pk"))
    mailed = Delivery.objects.filter(
        follower=follower, article__isnull=False, status__in=MAILED_ON_ITS_OWN
    ).values("article")
    return list(articles.exclude(pk__in=mailed).select_related("author"))


def make_due(now=None):
    """Make this week's digest and its deliveries, once; returns the digest if it has mail owed.

    Safe to run as often as wanted, in several workers at once: the week's row is unique and its
    deliveries are made by whoever claims `queued_at`. A digest more than
    SUBSCRIPTIONS_DIGEST_LATE_HOURS late (no worker ran around its time) is not made: a mail
    about "this week" days later would be news to nobody.
    """
    now = now or timezone.now()
    starts, ends = due_period(now)
    if now - ends > timedelta(hours=settings.SUBSCRIPTIONS_DIGEST_LATE_HOURS):
        return None
    last = Digest.objects.filter(ends_at__lt=ends).order_by("-ends_at").first()
    if last is not None:
        if ends - last.ends_at < WEEK - SLACK:
            # Staff moved the digest's day: one went out less than a week ago. The next one
            # starts where it ended, so no article is listed twice or left out.
            return None
        if ends - last.ends_at < 2 * WEEK:
            starts = last.ends_at
    digest, _ = Digest.objects.get_or_create(ends_at=ends, defaults={"starts_at": starts})
    fan_out(digest, now)
    return digest


def fan_out(digest, now=None):
    """Owe each active weekly follower with something in their topics this week one digest."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Digest.objects.filter(pk=digest.pk, queued_at__isnull=True).update(queued_at=now)
        if not claimed:
            return None
        followers = Follower.objects.active().weekly().interested_in(week_articles(digest))
        follower_ids = list(followers.values_list("pk", flat=True))
        Delivery.objects.bulk_create(
            [
                Delivery(digest=digest, follower_id=pk, next_attempt_at=now, created_at=now)
                for pk in follower_ids
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        Digest.objects.filter(pk=digest.pk).update(recipients=len(follower_ids))
    return len(follower_ids)


def owed():
    """Digests with mail due now (lost tasks, killed workers, retries that are due)."""
    return list(
        Delivery.objects.due()
        .filter(digest__isnull=False)
        .order_by("digest_id")
        .values_list("digest_id", flat=True)
        .distinct()
    )


def skip(row, reason):
    Delivery.objects.filter(pk=row.pk, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, last_error=reason, updated_at=timezone.now()
    )


def send_batch(digest_id):
    """Send up to SUBSCRIPTIONS_BATCH_SIZE due digests over one SMTP connection.

    The new-article batch's policy, row for row (`delivery.send_batch`): a recipient's problem
    waits on that row's own backoff, the relay's stops the batch, refusals are judged at the
    end, a mail caught mid-send is left to staff.
    """
    result = delivery.BatchResult()
    digest = Digest.objects.filter(pk=digest_id).first()
    if digest is None:
        return result
    rows = list(
        Delivery.objects.due()
        .filter(digest=digest)
        .select_related("follower")
        .order_by("pk")[: settings.SUBSCRIPTIONS_BATCH_SIZE]
    )
    if not rows:
        return result
    result.full = len(rows) == settings.SUBSCRIPTIONS_BATCH_SIZE
    mail = DigestMail(digest)
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        result.retry_at = delivery.postpone(
            digest, rows[0], rows[1:], describe(exc), tried_status=Delivery.Status.PENDING
        )
        return result

    batch = delivery._Batch()
    try:
        for index, row in enumerate(rows):
            articles = articles_for(row.follower, digest)
            if not articles:
                # They changed their topics since the digest was made: nothing to send.
                durably(skip, row, "Nothing new this week in the topics they follow.")
                continue
            message = mail.for_follower(row.follower, articles)
            claimed = durably(delivery.claim, row, batch.accepted)
            batch.accepted = None
            if not claimed:
                continue
            batch.tried += 1
            try:
                connection.send_messages([message])
            except Exception as exc:
                failure = classify(exc)
                rest = rows[index + 1 :]
                if failure.kind == Kind.BOUNCED:
                    durably(delivery.defer, row, failure.description, Delivery.Status.SENDING)
                    batch.refused.append((row, failure.description))
                elif failure.kind == Kind.DEFERRED:
                    result.deferred += 1
                    if durably(delivery.defer, row, failure.description, Delivery.Status.SENDING):
                        batch.given_up.append(failure.description)
                elif failure.may_have_arrived:
                    durably(delivery.record_interrupted, row, failure.description)
                    delivery.alert_staff(
                        digest, failure.description, delivery.CAUGHT_SUMMARY.format(count=1)
                    )
                    batch.relay_error = failure.description
                    result.retry_at = delivery.postpone(digest, None, rest, failure.description)
                    break
                else:
                    batch.relay_error = failure.description
                    result.retry_at = delivery.postpone(digest, row, rest, failure.description)
                    break
                if batch.refused_in_a_row() >= RELAY_REFUSAL_STREAK:
                    batch.relay_error = "every recipient refused: " + failure.description
                    result.retry_at = delivery.postpone(digest, None, rest, batch.relay_error)
                    break
                continue
            batch.accepted = row
            batch.streak_start = batch.tried
            result.sent += 1
    finally:
        if batch.accepted is not None:
            durably(delivery.record_sent, batch.accepted)
        try:
            connection.close()
        except Exception:
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    result.bounced = delivery.judge_refusals(digest, batch)
    if batch.given_up:
        delivery.alert_staff(
            digest,
            batch.given_up[0],
            f"{len(batch.given_up)} digest(s) could not be sent and are given up. Use "
            "“Send again” on the failed deliveries once the mail server works.",
        )
    if batch.relay_error:
        result.full = False
    elif not result.full:
        result.retry_at = delivery.next_due(digest)
    return result
