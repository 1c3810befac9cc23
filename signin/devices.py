"""Each staff member's authenticator: at most one confirmed TOTP device (django-otp)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

NAME = "Authenticator app"


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The device being set up: made once, so reloading the page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=NAME, confirmed=False)


def confirm(device):
    """The code from `device` was right: it becomes the user's one authenticator."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def remove_all(user):
    TOTPDevice.objects.filter(user=user).delete()
