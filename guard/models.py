from django.db import models


class RateLimitCounter(models.Model):
    """Requests counted in one rate-limit window, when no Redis is there to count them.

    The key holds a keyed hash of who is counted, never a raw IP or email address.
    """

    key = models.CharField(max_length=128, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
