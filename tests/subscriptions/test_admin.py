import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from subscriptions.models import Delivery, Follower, Notification, Suppression
from tests.factories import ArticleFactory
from tests.pages import nowhere, select, text, texts
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db
FOLLOWERS = "/admin/subscriptions/follower/"
NOTIFICATIONS = "/admin/subscriptions/notification/"
DELIVERIES = "/admin/subscriptions/delivery/"


def action(client, url, name, objects):
    return client.post(
        url, {"action": name, "_selected_action": [obj.pk for obj in objects]}, follow=True
    )


def notified(article, **counts):
    """An article whose notification went out, with deliveries in the given statuses."""
    Notification.objects.create(article=article, queued_at=article.published_at)
    for status, n in counts.items():
        for follower in FollowerFactory.create_batch(n):
            Delivery.objects.create(follower=follower, article=article, status=status)
    return article


def test_editors_may_manage_followers_and_authors_may_not(client, editor, author_user):
    codenames = set(
        Group.objects.get(name="Editors")
        .permissions.filter(content_type__app_label="subscriptions")
        .values_list("codename", flat=True)
    )
    assert {"view_follower", "change_follower", "delete_follower", "change_delivery"} <= codenames

    client.force_login(author_user)
    assert client.get(FOLLOWERS).status_code == 403
    client.force_login(editor)
    assert client.get(FOLLOWERS).status_code == 200


def test_followers_can_be_filtered_by_status_and_searched(editor_client):
    FollowerFactory(email="active.one@example.com")
    FollowerFactory(email="waiting@example.com", status=Follower.Status.PENDING)
    FollowerFactory(email="gone@example.com", status=Follower.Status.UNSUBSCRIBED)

    page = editor_client.get(FOLLOWERS, {"status__exact": "pending"})
    assert "waiting@example.com" in text(page, "#result_list")
    assert nowhere(page, "active.one@example.com") and nowhere(page, "gone@example.com")

    page = editor_client.get(FOLLOWERS, {"q": "gone@"})
    assert "gone@example.com" in text(page, "#result_list") and nowhere(page, "waiting@example.com")


def test_followers_are_exported_as_csv_safe_to_open_in_a_spreadsheet(editor_client):
    plain = FollowerFactory(email="reader@example.com", consent_note="Confirmed by link.")
    tricky = FollowerFactory(email="=cmd@example.com")
    response = action(editor_client, FOLLOWERS, "export_csv", [plain, tricky])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="followers-')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "email", "status", "source", "subscribed_at", "confirmed_at", "unsubscribed_at",
        "consent_note",
    ]  # fmt: skip
    assert rows[1][0] == "'=cmd@example.com"
    assert rows[2][:3] == ["reader@example.com", "active", "form"]
    assert rows[2][6] == "Confirmed by link."


def test_a_follower_record_is_read_only_and_cannot_be_added_by_hand(editor_client):
    follower = FollowerFactory()
    page = editor_client.get(f"{FOLLOWERS}{follower.pk}/change/")
    assert follower.email in text(page, "#content form")
    assert not select(page, '[name="status"]')
    assert editor_client.get(f"{FOLLOWERS}add/").status_code == 403


def test_erasing_a_follower_from_the_admin_keeps_the_suppression(editor_client):
    follower = FollowerFactory(email="erase.me@example.com")
    response = action(editor_client, FOLLOWERS, "erase_selected", [follower])
    assert "Erased 1 follower(s)" in text(response, ".messagelist")
    assert not Follower.objects.exists()
    assert Suppression.is_suppressed("erase.me@example.com")


def test_each_article_shows_its_sent_pending_and_failed_counts(editor_client):
    S = Delivery.Status
    article = notified(
        ArticleFactory(title="Disc herniation explained"),
        **{S.SENT: 4, S.PENDING: 2, S.SENDING: 1, S.FAILED: 1, S.BOUNCED: 1, S.INTERRUPTED: 1},
    )
    response = editor_client.get(NOTIFICATIONS)
    row = next(r for r in response.context["cl"].result_list if r.article_id == article.pk)
    assert (row.sent_count, row.pending_count, row.failed_count, row.interrupted_count) == (
        4, 3, 2, 1,
    )  # fmt: skip
    assert "Disc herniation explained" in text(response, "#result_list")
    sent = f'#result_list a[href$="?article__id__exact={article.pk}&status__exact=sent"]'
    assert texts(response, sent) == ["4"]


def test_the_counts_take_the_same_number_of_queries_for_many_articles(editor_client):
    notified(ArticleFactory(), sent=2)
    editor_client.get(NOTIFICATIONS)
    with CaptureQueriesContext(connection) as one:
        editor_client.get(NOTIFICATIONS)
    for _ in range(4):
        notified(ArticleFactory(), sent=2, failed=1)
    with CaptureQueriesContext(connection) as five:
        editor_client.get(NOTIFICATIONS)
    assert len(five) == len(one)


def test_failed_deliveries_can_be_retried_from_the_article_row(
    editor_client, smtp_server, committed
):
    S = Delivery.Status
    article = notified(ArticleFactory(), **{S.SENT: 1, S.FAILED: 2, S.BOUNCED: 1})
    failed = list(
        Delivery.objects.filter(status=S.FAILED).values_list("follower__email", flat=True)
    )
    with committed():
        response = action(
            editor_client,
            NOTIFICATIONS,
            "retry_failed",
            [Notification.objects.get(article=article)],
        )
    assert "2 failed delivery(ies) will be sent again." in text(response, ".messagelist")
    assert smtp_server.count_to() == dict.fromkeys(failed, 1)
    assert sorted(Delivery.objects.values_list("status", flat=True)) == [
        "bounced", "sent", "sent", "sent",
    ]  # fmt: skip


def test_staff_see_mail_caught_mid_send_and_decide(editor_client, smtp_server, committed):
    article = notified(ArticleFactory(), interrupted=2)
    received, lost = Delivery.objects.order_by("pk")
    page = text(editor_client.get(DELIVERIES, {"status__exact": "interrupted"}), "#result_list")
    assert received.follower.email in page and lost.follower.email in page

    action(editor_client, DELIVERIES, "mark_as_sent", [received])
    with committed():
        action(editor_client, DELIVERIES, "send_again", [lost])
    assert smtp_server.count_to() == {lost.follower.email: 1}
    assert set(Delivery.objects.filter(article=article).values_list("status", flat=True)) == {
        "sent"
    }
