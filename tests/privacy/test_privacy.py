"""Issue 11 finding 7: commenters' IP addresses stored raw and shown in the admin, unconfirmed
comments (third-party addresses, maybe health details) never purged, and `&lt;` and `&quot;` in
text mails. Also the "download my data" link."""

import importlib
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from comments.models import Comment, Like, ip_digest
from mailer.compose import build
from ops.models import Schedule
from ops.worker import started
from privacy.tasks import purge
from subscriptions.models import Follower
from tests.comments.conftest import ORIGIN, approved_comment, comment_data
from tests.factories import ArticleFactory, UserFactory
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"


@pytest.fixture
def published(db):
    return ArticleFactory(published_at=timezone.now() - timedelta(days=1), title="Sciatica")


def test_finding_7_a_commenters_ip_address_is_kept_only_as_a_keyed_hash(
    published, editor, django_capture_on_commit_callbacks
):
    guest, editor_client = Client(), Client()
    editor_client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        guest.post("/comments/post/", comment_data(published), REMOTE_ADDR=IP, **ORIGIN)
    comment = Comment.objects.get()
    assert comment.ip_address is None
    assert comment.ip_hash == ip_digest(IP) and IP not in comment.ip_hash
    page = editor_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert comment.ip_hash in page
    assert IP not in page
    # The hash finds the other comments from the same address.
    found = editor_client.get("/admin/comments/comment/", {"q": comment.ip_hash})
    assert [c.pk for c in found.context["cl"].result_list] == [comment.pk]


def test_finding_7_stored_ip_addresses_are_hashed_and_erased_by_a_migration(published):
    from django.apps import apps
    from django_comments.models import Comment as BaseComment

    comment = approved_comment(published)
    BaseComment.objects.filter(pk=comment.pk).update(ip_address=IP)
    migration = importlib.import_module("comments.migrations.0005_hash_stored_ip_addresses")
    migration.hash_addresses(apps, None)
    comment.refresh_from_db()
    assert comment.ip_address is None
    assert comment.ip_hash == ip_digest(IP)  # the same hash as a new comment's


def test_finding_7_imported_comments_keep_only_the_hash(db):
    from tests.wordpress.conftest import EXPORT
    from wordpress.importer import import_wordpress

    import_wordpress([EXPORT])
    assert Comment.objects.exists()
    assert not Comment.objects.filter(ip_address__isnull=False).exists()
    assert Comment.objects.exclude(ip_hash="").exists()


def test_finding_7_unconfirmed_comments_and_follows_are_purged_after_30_days(published):
    now = timezone.now()

    def comment(days, status):
        row = approved_comment(published, submit_date=now - timedelta(days=days))
        Comment.objects.filter(pk=row.pk).update(status=status, is_public=False)
        return row.pk

    old_unconfirmed = comment(31, Comment.Status.UNCONFIRMED)
    recent_unconfirmed = comment(29, Comment.Status.UNCONFIRMED)
    old_approved = approved_comment(published, submit_date=now - timedelta(days=400)).pk
    FollowerFactory(email="old@example.net", status=Follower.Status.PENDING, confirmed_at=None)
    Follower.objects.filter(email="old@example.net").update(subscribed_at=now - timedelta(days=31))
    FollowerFactory(email="new@example.net", status=Follower.Status.PENDING, confirmed_at=None)
    FollowerFactory(email="active@example.net")
    Follower.objects.filter(email="active@example.net").update(
        subscribed_at=now - timedelta(days=400)
    )

    result = purge.enqueue()
    assert result.return_value == {"comments": 1, "followers": 1}
    assert set(Comment.objects.values_list("pk", flat=True)) == {
        recent_unconfirmed,
        old_approved,
    }
    assert old_unconfirmed not in Comment.objects.values_list("pk", flat=True)
    assert set(Follower.objects.values_list("email", flat=True)) == {
        "new@example.net",
        "active@example.net",
    }


def test_finding_7_the_purge_is_a_periodic_task_each_worker_ensures(db):
    started()
    assert Schedule.objects.filter(task_path=purge.module_path).exists()


def test_finding_7_text_mails_are_not_html_escaped():
    typed = 'I said <b>"no"</b> & it\'s fine'
    article = ArticleFactory(title='Hips & knees: "why"?')
    context = {
        "follower": {"name": "Sam"},
        "comment": {"name": "Pat <3"},
        "article": article,
        "excerpt": typed,
        "comment_url": "https://example.org/c",
        "mute_url": "https://example.org/m",
        "blog_name": "Spine & Joint",
    }
    message = build("comment_followup", context, "sam@example.org")
    text = message.body
    assert typed in text and "Pat <3" in text and 'Hips & knees: "why"?' in text
    for escaped in ("&lt;", "&gt;", "&quot;", "&amp;", "&#x27;", "&#39;"):
        assert escaped not in text
        assert escaped not in message.subject
    [(html, _)] = message.alternatives
    assert "&lt;b&gt;" in html  # the HTML part is still escaped


def test_finding_7_download_my_data_by_an_emailed_link(
    client, published, django_capture_on_commit_callbacks
):
    address = "Pat@Example.org"
    FollowerFactory(email="pat@example.org")
    mine = approved_comment(published, user_email="pat@example.org", comment="My own words.")
    approved_comment(published, user_email="other@example.org", comment="Someone else's.")
    user = UserFactory(username="pat", email="pat@example.org")
    Like.objects.create(article=published, user=user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/my-data/", {"email": address}, **ORIGIN)
    assert response.status_code == 302 and response["Location"] == "/my-data/sent/"
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    [link] = re.findall(r"https?://\S+/my-data/\S+/", message.body)
    assert "pat" not in link.lower()  # no address in the link

    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    download = client.get(path)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-store" in download["Cache-Control"] or "no-cache" in download["Cache-Control"]
    data = json.loads(download.content)
    assert data["email"] == "pat@example.org"
    assert [s["status"] for s in data["subscriptions"]] == ["Active"]
    assert [c["text"] for c in data["comments"]] == [mine.comment]
    assert data["comments"][0]["article"] == "Sciatica"
    assert [like["article"] for like in data["likes"]] == ["Sciatica"]
    assert "Someone else" not in download.content.decode()

    # Asking again at once sends nothing more; neither does an address the site does not know.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-data/", {"email": address}, **ORIGIN)
        again = client.post("/my-data/", {"email": "stranger@example.org"}, **ORIGIN)
    assert again["Location"] == "/my-data/sent/"
    assert len(mail.outbox) == 1

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        path = "/" + link.split("://", 1)[1].split("/", 1)[1]
        assert client.get(path).status_code == 410
    assert client.get("/my-data/not-a-token/").status_code == 404


def test_the_request_form_refuses_other_sites_and_bad_addresses(client):
    assert client.post("/my-data/", {"email": "a@example.org"}).status_code == 403
    response = client.post("/my-data/", {"email": "not an address"}, **ORIGIN)
    assert response.status_code == 200
    assert "doesn’t look like an email address" in response.content.decode()
    assert "Download my data" in client.get("/my-data/").content.decode()
    assert not mail.outbox
