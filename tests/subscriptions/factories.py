import factory
from django.utils import timezone

from subscriptions.models import Follower


class FollowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follower

    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    status = Follower.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)
    consent_note = "Confirmed by the link in our mail (test data)."
