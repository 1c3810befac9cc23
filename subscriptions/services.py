"""What happens to a follower: subscribing, confirming, leaving, being erased, bouncing.

Views, the admin, the import command and the delivery worker all go through these functions, so
the rules (suppression, cancelling owed mail) live in one place. Mail is sent after commit.
"""

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import Delivery, Follower, Suppression, normalise_email

# Sent after commit when a follower is owed a confirmation mail (with `follower_id`). The task
# that mails it listens (connected in apps.py): these rules stay below the delivery code that
# calls them, and need not know how mail goes out.
confirmation_requested = Signal()

# A second request for the same pending address within this time sends no second mail, so the
# form cannot be used to flood someone's inbox with confirmation requests.
CONFIRMATION_RESEND_AFTER = timedelta(minutes=10)


def local_stamp(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def subscribe(email, topics=(), frequency=Follower.Frequency.EACH):
    """Start a double opt-in for `email`; returns the follower, mailed or not.

    Nothing tells the caller whether the address was already known: the page says the same
    "check your inbox" either way. The choices (`topics`, none for every topic; `frequency`)
    are kept only with a new opt-in, so typing someone's address never changes what they
    receive: a follower changes that through the link in our mails.
    """
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        follower, created = Follower.objects.select_for_update().get_or_create(
            email=email,
            defaults={"status": Follower.Status.PENDING, "subscribed_at": now},
        )
        if follower.status == Follower.Status.ACTIVE:
            return follower
        recently_mailed = (
            follower.status == Follower.Status.PENDING
            and follower.confirmation_sent_at
            and now - follower.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
        )
        if recently_mailed:
            return follower
        if not created:
            # An unsubscribed or bounced address starts a new opt-in; until it is confirmed the
            # suppression stays, so nothing but the confirmation request reaches it.
            follower.status = Follower.Status.PENDING
            follower.subscribed_at = now
            follower.source = Follower.Source.FORM
        follower.confirmation_sent_at = now
        follower.save()
        set_preferences(follower, topics, frequency)
        transaction.on_commit(
            partial(confirmation_requested.send, sender=Follower, follower_id=follower.pk),
            robust=True,
        )
    return follower


def set_preferences(follower, topics, frequency):
    """What the follower receives: `topics` (categories; none: every topic) and how often."""
    topics = list(topics or ())
    follower.all_topics = not topics
    follower.frequency = frequency
    follower.save(update_fields=["all_topics", "frequency", "updated_at"])
    follower.topics.set(topics)
    return follower


def confirm(follower):
    """The address owner pressed the button in our mail: they follow the blog from now on."""
    with transaction.atomic():
        follower = Follower.objects.select_for_update().get(pk=follower.pk)
        if follower.status != Follower.Status.PENDING:
            return follower
        now = timezone.now()
        follower.status = Follower.Status.ACTIVE
        follower.confirmed_at = now
        follower.unsubscribed_at = None
        note = (
            f"Asked to follow by email on {local_stamp(follower.subscribed_at)} through the "
            f"subscription form; confirmed with the link mailed to this address on "
            f"{local_stamp(now)}."
        )
        follower.consent_note = "\n".join(filter(None, [follower.consent_note, note]))
        follower.save()
        # A fresh, confirmed opt-in is the only thing that lifts an earlier suppression.
        Suppression.lift(follower.email)
    return follower


def follow_proved(email):
    """Follow the blog with an address its owner has just proved by signing in with it (a
    reader's account page): the opt-in and its confirmation in one, so no mail is needed."""
    email = normalise_email(email)
    now = timezone.now()
    with transaction.atomic():
        follower, _ = Follower.objects.select_for_update().get_or_create(
            email=email, defaults={"status": Follower.Status.PENDING, "subscribed_at": now}
        )
        if follower.status == Follower.Status.ACTIVE:
            return follower
        follower.status = Follower.Status.ACTIVE
        follower.source = Follower.Source.FORM
        follower.subscribed_at = follower.confirmed_at = now
        follower.unsubscribed_at = None
        note = (
            f"Asked to follow by email on {local_stamp(now)} from their reader account, signed "
            "in with this address (a code mailed to it, or a provider that verified it)."
        )
        follower.consent_note = "\n".join(filter(None, [follower.consent_note, note]))
        follower.save()
        Suppression.lift(follower.email)
    return follower


def unsubscribe(follower, reason=Suppression.Reason.UNSUBSCRIBED):
    """Stop all mail to the follower now, and remember never to mail the address again."""
    status = (
        Follower.Status.BOUNCED
        if reason == Suppression.Reason.BOUNCED
        else Follower.Status.UNSUBSCRIBED
    )
    with transaction.atomic():
        follower = Follower.objects.select_for_update().get(pk=follower.pk)
        Suppression.record(follower.email, reason)
        if follower.status in (Follower.Status.UNSUBSCRIBED, Follower.Status.BOUNCED):
            return follower
        follower.status = status
        follower.unsubscribed_at = timezone.now()
        follower.save()
        cancel_owed_mail(follower)
    return follower


def erase(follower):
    """Delete the follower and their delivery log; only the suppression fingerprint remains."""
    with transaction.atomic():
        Suppression.record(follower.email, Suppression.Reason.ERASED)
        Follower.objects.filter(pk=follower.pk).delete()


def bounce(follower):
    return unsubscribe(follower, reason=Suppression.Reason.BOUNCED)


def cancel_owed_mail(follower):
    Delivery.objects.filter(follower=follower, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, updated_at=timezone.now()
    )


def purge_unconfirmed(before):
    """Delete followers whose opt-in, started before `before`, was never confirmed: an address
    someone typed, perhaps not its owner's. A suppression recorded earlier stays."""
    deleted, by_model = Follower.objects.filter(
        status=Follower.Status.PENDING, subscribed_at__lt=before
    ).delete()
    return by_model.get(Follower._meta.label, 0)
