import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mailer import staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_group_and_admins_in_one_query(settings):
    settings.ADMINS = [("Admin", "admin@practice.example"), ("Ed", "ed@practice.example")]
    UserFactory(username="ed", email="ed@practice.example", groups=["Editors"])
    UserFactory(username="eve", email="eve@practice.example", groups=["Editors"])
    UserFactory(username="gone", email="gone@practice.example", groups=["Editors"], is_active=False)
    UserFactory(username="mute", email="", groups=["Editors"])
    UserFactory(username="writer", email="writer@practice.example", groups=["Authors"])
    with CaptureQueriesContext(connection) as queries:
        addresses = staff.group_and_admins("Editors")
    assert addresses == ["admin@practice.example", "ed@practice.example", "eve@practice.example"]
    assert len(queries.captured_queries) == 1


def test_holders_of_a_permission_directly_by_group_or_as_superusers():
    from django.contrib.auth.models import Permission

    direct = UserFactory(username="direct", email="direct@practice.example", is_staff=True)
    direct.user_permissions.add(
        Permission.objects.get(codename="change_comment", content_type__app_label="comments")
    )
    UserFactory(username="boss", email="boss@practice.example", is_superuser=True)
    UserFactory(username="ed", email="ed@practice.example", groups=["Editors"])
    UserFactory(username="writer", email="writer@practice.example", groups=["Authors"])
    assert staff.with_permission("comments", "change_comment") == [
        "boss@practice.example",
        "direct@practice.example",
        "ed@practice.example",
    ]
