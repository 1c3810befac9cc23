"""Staff addresses for the mail that goes to the practice rather than to readers.

Two questions, each answered in one query: who may moderate comments, and who hears that mail
to followers could not be sent.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q


def _addresses(users):
    return users.filter(is_active=True).exclude(email="").values_list("email", flat=True)


def with_permission(app_label, codename):
    """Active staff who hold a permission (directly, through a group, or as superusers)."""
    permission = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    holders = (
        get_user_model()
        .objects.filter(is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__in=permission)
            | Q(groups__permissions__in=permission)
        )
    )
    return sorted(set(_addresses(holders).distinct()))


def group_and_admins(group):
    """The active members of `group`, and everyone in ADMINS."""
    members = _addresses(get_user_model().objects.filter(groups__name=group))
    return sorted({address for _name, address in settings.ADMINS} | set(members))
