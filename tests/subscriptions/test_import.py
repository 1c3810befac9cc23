from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from subscriptions.importer import import_followers
from subscriptions.models import Follower, Suppression
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
EXPORT = DATA / "wordpress-subscribers.csv"


def run(path, capsys):
    call_command("import_followers", str(path))
    out, err = capsys.readouterr()
    return out, err


def test_the_export_becomes_active_followers_with_their_dates_and_no_mail(
    capsys, smtp_server, settings
):
    settings.TIME_ZONE = "UTC"
    Suppression.record("left.long.ago@example.com", Suppression.Reason.ERASED)
    out, err = run(EXPORT, capsys)

    assert "Imported 6 follower(s) as active; no mail was sent." in out
    assert "Suppressed (unsubscribed, bounced or erased; left out): 1." in out
    assert "Not receiving mail on the old blog (not confirmed or stopped; left out): 1." in out
    assert "Repeated in the file: 1." in out
    assert "Subscription dates not understood (today's date used): 1." in out
    assert "2 row(s) skipped as invalid:" in err
    assert "line 7: “not-an-address” is not an email address" in err
    assert "line 8: “(empty)” is not an email address" in err

    assert sorted(Follower.objects.values_list("email", flat=True)) == [
        "d.okonkwo@example.org",
        "frank.ruiz@example.net",
        "helen.brandt@example.com",
        "lee.chambers@example.org",
        "margaret.hollis@example.com",
        "t.nakamura@example.com",
    ]
    assert set(Follower.objects.values_list("status", "source").distinct()) == {
        (Follower.Status.ACTIVE, Follower.Source.IMPORT)
    }
    margaret = Follower.objects.get(email="margaret.hollis@example.com")
    assert margaret.subscribed_at == datetime(2016, 4, 11, 8, 23, 51, tzinfo=UTC)
    assert "WordPress.com subscriber export (wordpress-subscribers.csv, line 2)" in (
        margaret.consent_note
    )
    assert "subscribed there on 2016-04-11 08:23" in margaret.consent_note
    assert smtp_server.messages == []


def test_running_it_twice_adds_nothing(capsys):
    run(EXPORT, capsys)
    before = list(Follower.objects.order_by("pk").values())
    out, _ = run(EXPORT, capsys)
    assert "Imported 0 follower(s)" in out
    assert "Already known here (left as they are): 7." in out
    assert list(Follower.objects.order_by("pk").values()) == before


def test_people_who_left_stay_out_and_those_who_follow_here_are_left_alone():
    FollowerFactory(email="lee.chambers@example.org", status=Follower.Status.UNSUBSCRIBED)
    Suppression.record("lee.chambers@example.org", Suppression.Reason.UNSUBSCRIBED)
    FollowerFactory(email="d.okonkwo@example.org", status=Follower.Status.BOUNCED)
    Suppression.record("d.okonkwo@example.org", Suppression.Reason.BOUNCED)
    pending = FollowerFactory(
        email="margaret.hollis@example.com", status=Follower.Status.PENDING, confirmed_at=None
    )

    report = import_followers(EXPORT)

    assert report.suppressed == 2
    assert Follower.objects.get(email="lee.chambers@example.org").status == "unsubscribed"
    assert Follower.objects.get(email="d.okonkwo@example.org").status == "bounced"
    # Asked here too but never confirmed: the old blog's confirmation counts.
    pending.refresh_from_db()
    assert pending.status == Follower.Status.ACTIVE
    assert "Imported on" in pending.consent_note


def test_other_spellings_separators_and_a_file_without_header_are_understood():
    report = import_followers(DATA / "semicolons.csv")
    assert (report.imported, report.invalid) == (2, [])
    anne = Follower.objects.get(email="anne.weber@example.de")
    assert timezone.localdate(anne.subscribed_at).isoformat() == "2019-03-14"
    bo = Follower.objects.get(email="bo.lindqvist@example.se")
    assert bo.subscribed_at == datetime(2019, 7, 1, 6, 30, tzinfo=UTC)

    report = import_followers(DATA / "no-header.csv")
    assert (report.imported, report.invalid) == (2, [])
    omar = Follower.objects.get(email="omar.haddad@example.com")
    assert omar.subscribed_at == datetime(2021, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.csv", "Cannot read"),
        ("no-email-column.csv", "has no email column"),
    ],
)
def test_a_file_that_cannot_be_read_fails_with_a_clear_message(name, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_followers", str(DATA / name))
    assert not Follower.objects.exists()
