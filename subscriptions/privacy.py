"""What the subscriptions app holds about one follower ("download my data"), and the purge of
opt-ins never confirmed. Status changes stay in `services` (one door per state)."""

from . import services
from .models import Delivery, Follower, normalise_email
from .services import purge_unconfirmed  # noqa: F401  (the privacy app's purge calls it here)


def follower_for(address):
    """The follower row of an address, or None: what a reader's account page shows."""
    return Follower.objects.filter(email=normalise_email(address)).first()


def erase_address(address):
    """A reader deleting their account: the follower goes, its suppression fingerprint stays."""
    follower = follower_for(address)
    if follower is not None:
        services.erase(follower)


def known_addresses():
    return Follower.objects.values_list("email", flat=True)


def data_for(address):
    followers = Follower.objects.filter(email=normalise_email(address))
    deliveries = (
        Delivery.objects.filter(follower__in=followers)
        .select_related("article", "digest")
        .order_by("created_at", "pk")
    )
    return {
        "subscriptions": [
            {
                "email": f.email,
                "status": f.get_status_display(),
                "source": f.get_source_display(),
                "subscribed_at": _iso(f.subscribed_at),
                "confirmed_at": _iso(f.confirmed_at),
                "unsubscribed_at": _iso(f.unsubscribed_at),
                "consent_note": f.consent_note,
                "how_often": f.get_frequency_display(),
                "topics": "every topic" if f.all_topics else [t.name for t in f.topics.all()],
            }
            for f in followers
        ],
        "mails_sent": [
            {
                "article": d.subject,
                "status": d.get_status_display(),
                "sent_at": _iso(d.sent_at),
            }
            for d in deliveries
        ],
    }


def _iso(moment):
    return moment.isoformat() if moment else None
