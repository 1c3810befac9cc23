from urllib.parse import urlsplit

import pytest
from django.test import Client
from pytest_django.asserts import assertInHTML

from subscriptions.models import Delivery, Follower, Suppression, address_hash
from subscriptions.tokens import unsubscribe_token
from tests.pages import nowhere, one, text
from tests.subscriptions.conftest import publish
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(smtp_server, committed):
    """A follower who has received a new-article mail; returns (follower, unsubscribe path)."""
    follower = FollowerFactory(email="patient@example.com")
    with committed():
        publish()
    [message] = smtp_server.to(follower.email)
    url = message["List-Unsubscribe"].strip()[1:-1]
    return follower, urlsplit(url).path


def test_opening_the_unsubscribe_link_shows_a_button_and_changes_nothing(client, mailed):
    follower, path = mailed
    page = client.get(path)
    assert page.status_code == 200
    form = one(page, 'main form:has(button[value="unsubscribe"])')
    assert (form["method"], form["action"]) == ("post", path)
    assertInHTML(
        '<button type="submit" name="action" value="unsubscribe">Unsubscribe</button>', str(form)
    )
    assert nowhere(page, "patient@example.com")
    assert page["Cache-Control"].startswith("max-age=0")
    follower.refresh_from_db()
    assert follower.status == Follower.Status.ACTIVE


def test_the_button_unsubscribes_and_the_address_is_suppressed(client, mailed):
    follower, path = mailed
    response = client.post(path, {"action": "unsubscribe"})
    assert response.status_code == 200
    assert "You’re unsubscribed" in text(response, "main")
    follower.refresh_from_db()
    assert follower.status == Follower.Status.UNSUBSCRIBED
    assert follower.unsubscribed_at is not None
    assert Suppression.is_suppressed("Patient@Example.com")


def test_one_click_unsubscribe_works_without_session_or_csrf_and_nothing_more_arrives(
    mailed, smtp_server, committed
):
    follower, path = mailed
    others = FollowerFactory.create_batch(2)
    # What Gmail's or Yahoo's button sends (RFC 8058): a bare POST, no cookies, no token.
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    follower.refresh_from_db()
    assert follower.status == Follower.Status.UNSUBSCRIBED

    smtp_server.clear()
    with committed():
        publish()
    assert smtp_server.to(follower.email) == []
    assert smtp_server.count_to() == {f.email: 1 for f in others}
    # Doing it again is harmless.
    assert (
        mail_client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )


def test_unsubscribing_cancels_mail_still_owed(client, db_tasks, committed, smtp_server):
    follower = FollowerFactory()
    with committed():
        article = publish()  # queued, not yet sent: the worker has not run
    from subscriptions.delivery import fan_out

    fan_out(article.pk)
    client.post(f"/unsubscribe/{unsubscribe_token(follower)}/")
    assert Delivery.objects.get().status == Delivery.Status.SKIPPED


def test_a_follower_can_delete_all_their_data(client, mailed):
    follower, path = mailed
    response = client.post(path, {"action": "erase"})
    assert response.status_code == 200
    assert "your data is deleted" in text(response, "main")
    assert not Follower.objects.exists()
    assert not Delivery.objects.exists()
    # Only the fingerprint remains, so the address is never mailed by accident again.
    suppression = Suppression.objects.get()
    assert suppression.address_hash == address_hash("patient@example.com")
    assert "patient" not in suppression.address_hash

    # The old link still answers, and says there is nothing left.
    again = client.get(path)
    assert again.status_code == 200
    assert "your data is deleted" in text(again, "main")


def test_a_forged_unsubscribe_link_is_refused(client, mailed):
    follower, path = mailed
    forged = path.replace(unsubscribe_token(follower), f"{unsubscribe_token(follower)[:-3]}abc")
    response = client.post(forged)
    assert response.status_code == 404
    follower.refresh_from_db()
    assert follower.status == Follower.Status.ACTIVE
