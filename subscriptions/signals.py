"""Subscriptions listen to articles being saved; articles know nothing about followers."""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.signals import is_importing

from .models import Notification

# An article saved as published with a publication time further back than this (an import
# from the old blog, a backdated post) is not news: followers are not mailed about it.
BACKDATED_AFTER = timedelta(days=1)


def will_notify(article, published_at):
    """Whether publishing `article` at `published_at` mails followers (article_saved's rule)."""
    if Notification.objects.filter(article=article, queued_at__isnull=False).exists():
        return False  # told once already: republishing never mails again
    return published_at >= timezone.now() - BACKDATED_AFTER


def publication_audience(sender, article, published_at, **kwargs):
    """Answers articles.signals.publication_audience: the followers this will mail."""
    from .delivery import audience

    return audience(article.pk).count() if will_notify(article, published_at) else 0


def publication_sample(sender, article, published_at, address, **kwargs):
    """Answers articles.signals.publication_sample: the new-article mail to `address` alone."""
    from .tasks import send_sample

    transaction.on_commit(
        partial(send_sample.enqueue, article.pk, published_at.isoformat(), address), robust=True
    )
    return True


def schedule_notification(article_id, published_at):
    from .tasks import enqueue_at, notify_followers

    # For a scheduled article the task runs at its publication time and checks again then.
    enqueue_at(notify_followers, published_at, article_id)


def article_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:  # loaddata
        return
    article = instance
    if article.status != Article.Status.PUBLISHED or article.published_at is None:
        # Unpublished before its mail went out (say, before its scheduled time): cancelled.
        Notification.objects.filter(article=article, queued_at__isnull=True).delete()
        return
    # A row just inserted has no notification yet (an import inserts thousands: no query each).
    notification = None if created else Notification.objects.filter(article=article).first()
    if notification is None:
        now = timezone.now()
        if is_importing() and article.published_at <= now:
            return  # news from the old blog, long since told; a scheduled one is told when due
        if article.published_at < now - BACKDATED_AFTER:
            return
        notification, _ = Notification.objects.get_or_create(article=article)
    if notification.queued_at is None:
        # The Notification row is the promise (saved with the article); the task only acts on
        # it, so a task lost between here and the worker is made good by the sweep.
        transaction.on_commit(
            partial(schedule_notification, article.pk, article.published_at), robust=True
        )
