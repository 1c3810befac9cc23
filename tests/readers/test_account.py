"""A signed-in reader comments without a confirmation mail and manages what they wrote on
their own page, which no cache shares."""

import json

import pytest
from django.core.cache import cache

from comments.models import Comment, Like
from pagecache.fragments import PAGE
from subscriptions.models import Follower, Suppression
from tests.comments.conftest import ORIGIN, approved_comment, comment_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(db):
    return ArticleFactory(title="Walking after a slipped disc")


@pytest.fixture
def post_as(django_capture_on_commit_callbacks):
    def post(browser, article, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post("/comments/post/", comment_data(article, **fields), **ORIGIN)

    return post


def test_a_signed_in_reader_comments_as_themselves_without_a_confirmation_mail(
    reader_client, article, post_as, mailoutbox
):
    page = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Commenting as <strong>Robin Reader</strong>" in page
    assert 'id="id_email"' not in page  # the proved address is used, never a typed one

    post_as(reader_client, article, name="Someone Else", email="other@example.org")
    first = Comment.objects.get()
    assert (first.user_name, first.user_email) == ("Robin Reader", "robin@example.org")
    assert [m.subject for m in mailoutbox if "confirm" in m.subject.lower()] == []
    # Moderation is unchanged: a first comment from an address waits for staff …
    assert first.status == Comment.Status.PENDING
    first.set_status(Comment.Status.APPROVED)
    # … later ones appear at once, but links and blocked words still hold them.
    post_as(reader_client, article, comment="Thanks again, walking helps.")
    post_as(reader_client, article, comment="Win at the casino today")
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved", "approved", "pending",
    ]  # fmt: skip


def test_a_signed_in_readers_page_never_reaches_the_shared_cache(
    client_factory, reader_client, article, settings
):
    settings.PAGE_CACHE = True
    url = article.get_absolute_url()
    mine = reader_client.get(url)
    assert "Robin Reader" in mine.content.decode()
    assert "private" in mine["Cache-Control"] and "X-Page-Cache" not in mine
    assert mine.cookies["bs_staff"].value == "1"  # the shipped nginx bypasses its cache too
    assert cache.get(PAGE.key("testserver", url)) is None

    guest = client_factory()
    first, again = guest.get(url), guest.get(url)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert "Robin Reader" not in again.content.decode()
    assert "Commenting as" not in again.content.decode()
    # What the cache holds is the guests' page alone.
    assert b"Robin Reader" not in cache.get(PAGE.key("testserver", url)).content
    # And a reader signed in afterwards is not served the guests' copy.
    assert "Robin Reader" in reader_client.get(url).content.decode()


def test_a_guests_earlier_comments_show_on_the_account_of_the_same_address(reader_client, article):
    approved_comment(article, user_name="Robin", user_email="ROBIN@example.org",
                     comment="Written as a guest last year.")  # fmt: skip
    approved_comment(article, comment="Someone else's comment.")
    page = reader_client.get("/account/")
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Written as a guest last year." in text and "Someone else" not in text


def test_a_reader_deletes_one_comment_and_replies_to_it_stay(reader_client, article):
    mine = approved_comment(article, user_email="robin@example.org", comment="Mine to delete.")
    reply = approved_comment(article, parent_id=mine.pk, comment="A reply by someone else.")
    other = approved_comment(article, comment="Not mine.")
    assert reader_client.post(f"/account/comments/{other.pk}/delete/").status_code == 404
    assert reader_client.post(f"/account/comments/{mine.pk}/delete/").status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.user_email, mine.is_public) == ("removed", "", False)
    assert Comment.objects.get(pk=reply.pk).comment == "A reply by someone else."
    assert "Mine to delete." not in reader_client.get(article.get_absolute_url()).content.decode()
    assert "Mine to delete." not in reader_client.get("/comments/feed/").content.decode()


def test_a_reader_mutes_and_resumes_follow_ups_per_article(reader_client, article):
    mine = approved_comment(article, user_email="robin@example.org", followup=True)
    reader_client.post(f"/account/follow-ups/{article.pk}/", {"followup": "off"})
    mine.refresh_from_db()
    assert not mine.followup
    assert "Resume" in reader_client.get("/account/").content.decode()
    reader_client.post(f"/account/follow-ups/{article.pk}/", {"followup": "on"})
    mine.refresh_from_db()
    assert mine.followup
    elsewhere = ArticleFactory()
    assert reader_client.post(f"/account/follow-ups/{elsewhere.pk}/", {}).status_code == 404


def test_a_reader_follows_and_stops_following_the_blog_without_a_mail(
    reader_client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post("/account/follow/", {"follow": "on"})
    assert Follower.objects.get(email="robin@example.org").is_active
    assert mailoutbox == []
    assert "You follow the blog" in reader_client.get("/account/").content.decode()
    reader_client.post("/account/follow/", {"follow": "off"})
    assert Follower.objects.get().status == Follower.Status.UNSUBSCRIBED


def test_download_my_data_gives_comments_likes_and_subscription(reader_client, reader, article):
    approved_comment(article, user_email="robin@example.org", comment="In my data.")
    Like.objects.create(article=article, user=reader)
    Follower.objects.create(email="robin@example.org", status=Follower.Status.ACTIVE)
    response = reader_client.get("/account/my-data.json")
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [c["text"] for c in data["comments"]] == ["In my data."]
    assert [like["article"] for like in data["likes"]] == ["Walking after a slipped disc"]
    assert [s["status"] for s in data["subscriptions"]] == ["Active"]
    assert data["account"]["name"] == "Robin Reader"


def test_delete_my_account_erases_as_staff_erasure_does(reader_client, reader, article):
    mine = approved_comment(article, user_email="robin@example.org", comment="Goes.")
    reply = approved_comment(article, parent_id=mine.pk, comment="Stays.")
    Follower.objects.create(email="robin@example.org", status=Follower.Status.ACTIVE)
    assert "cannot be undone" in reader_client.get("/account/delete/").content.decode()
    response = reader_client.post("/account/delete/")
    assert "Your account is deleted" in response.content.decode()
    mine.refresh_from_db()
    assert (mine.user_email, mine.status) == ("", "removed")
    assert Comment.objects.get(pk=reply.pk).comment == "Stays."
    assert not Follower.objects.exists() and Suppression.is_suppressed("robin@example.org")
    assert not type(reader).objects.filter(pk=reader.pk).exists()
    assert reader_client.get("/account/").status_code == 302  # signed out


def test_staff_and_guests_have_no_reader_page(client_factory, editor_client):
    assert client_factory().get("/account/")["Location"].startswith("/accounts/login/")
    assert editor_client.get("/account/")["Location"] == "/admin/"
