import threading

import pytest
from django.db import connection

from comments.models import Comment, Like
from comments.policy import approve
from tests.comments.conftest import ORIGIN, approved_comment, links_in, path_of
from tests.factories import ArticleFactory, UserFactory
from tests.markup.test_sanitiser import XSS_PAYLOADS
from tests.news_box import warm_news_box
from tests.pages import one, select, text, texts
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(published_article):
    """An article whose comments two readers follow; one more reader doesn't."""
    approved_comment(
        published_article, user_name="Alice", user_email="alice@example.org", followup=True
    )
    approved_comment(
        published_article, user_name="Bob", user_email="bob@example.org", followup=True
    )
    approved_comment(published_article, user_name="Cara", user_email="cara@example.org")
    return published_article


def test_a_new_comment_notifies_the_threads_followers_but_not_its_writer(
    thread, post_comment, client, smtp_server, django_capture_on_commit_callbacks
):
    post_comment(thread, name="Alice", email="alice@example.org", comment="Alice writes again.")
    confirm = [u for u in links_in(smtp_server.to("alice@example.org")[0]) if "confirm" in u][0]
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(confirm))
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    assert smtp_server.to("alice@example.org") == []
    assert smtp_server.to("cara@example.org") == []
    [message] = smtp_server.to("bob@example.org")
    text = body_text(message)
    assert "Alice writes again." in text
    assert "alice@example.org" not in text
    mute_url = message["List-Unsubscribe"].strip().strip("<>")
    assert "/comments/mute/" in mute_url and mute_url in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_notifications_quote_only_a_short_excerpt(
    thread, smtp_server, django_capture_on_commit_callbacks
):
    long_text = "word " * 400
    comment = approved_comment(thread, user_name="Dan", user_email="dan@example.org", comment="x")
    comment.comment = long_text + "THE-END-MARKER"
    comment.save()
    from comments.tasks import notify_followers

    notify_followers.enqueue(comment.pk)
    [message] = smtp_server.to("bob@example.org")
    assert "THE-END-MARKER" not in body_text(message)


def test_the_mute_link_stops_further_mail(thread, client, smtp_server):
    from comments.tasks import notify_followers

    first = approved_comment(thread, user_name="Eve", user_email="eve@example.org")
    notify_followers.enqueue(first.pk)
    [message] = smtp_server.to("bob@example.org")
    mute = path_of(message["List-Unsubscribe"].strip().strip("<>"))
    assert "bob" not in mute
    page = client.get(mute)
    assert page.status_code == 200 and texts(page, "main form button") == ["Stop these emails"]
    assert Comment.objects.filter(user_email="bob@example.org", followup=True).exists()
    assert client.post(mute).status_code == 200
    smtp_server.clear()
    second = approved_comment(thread, user_name="Fay", user_email="fay@example.org")
    notify_followers.enqueue(second.pk)
    assert smtp_server.to("bob@example.org") == []
    assert len(smtp_server.to("alice@example.org")) == 1


def test_one_click_unsubscribe_needs_no_session_or_csrf(thread, smtp_server):
    from django.test import Client

    from comments.tasks import notify_followers

    notify_followers.enqueue(approved_comment(thread, user_email="g@example.org").pk)
    [message] = smtp_server.to("alice@example.org")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        path_of(message["List-Unsubscribe"].strip().strip("<>")),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert not Comment.objects.filter(user_email="alice@example.org", followup=True).exists()


def test_a_forged_mute_token_does_nothing(client, thread):
    assert client.post("/comments/mute/eyJjIjoxfQ:forged:signature/").status_code == 404
    assert Comment.objects.filter(followup=True).count() == 2


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_comment_xss_payloads_are_shown_as_text(client, published_article, payload):
    approved_comment(published_article, comment=payload, user_name=payload[:40])
    listing = one(client.get(published_article.get_absolute_url()), "ol.comment-list")
    # Every element from the comment list on, in document order, up to the reply form: were a
    # payload to close the list early, what it injected after would still be looked at.
    found = [listing]
    for element in listing.find_all_next(True):
        if element.get("id") == "respond":
            break
        found.append(element)
    allowed = {"ol", "li", "article", "header", "span", "a", "time", "div", "p", "br"}
    for element in found:
        tag, attrs = element.name, element.attrs
        assert tag in allowed, (tag, payload)
        assert not any(name.startswith("on") for name in attrs), payload
        href = attrs.get("href") or ""
        assert not href.lower().strip().startswith(("javascript:", "data:")), payload


def test_links_in_comments_are_nofollow_ugc(client, published_article):
    approved_comment(published_article, comment="See https://example.org/page for more.")
    [link] = select(client.get(published_article.get_absolute_url()), ".comment-text a")
    assert link["href"] == "https://example.org/page"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]


def test_a_reader_likes_once_and_can_take_it_back(client, published_article):
    like_url = published_article.get_absolute_url() + "like/"
    response = client.post(like_url, HTTP_ACCEPT="application/json", **ORIGIN)
    assert response.json()["likes"] == 1
    response = client.post(like_url, HTTP_ACCEPT="application/json", **ORIGIN)
    assert response.json()["likes"] == 1
    page = client.get(published_article.get_absolute_url())
    assert text(page, ".likes-count") == "1 reader likes this."

    other = type(client)()
    assert other.post(like_url, HTTP_ACCEPT="application/json", **ORIGIN).json()["likes"] == 2
    response = client.post(published_article.get_absolute_url() + "unlike/", **ORIGIN)
    assert response.status_code == 302
    assert response["Location"] == published_article.get_absolute_url() + "#likes"
    assert Like.objects.count() == 1


def test_a_logged_in_reader_likes_once_across_browsers(client, published_article):
    user = UserFactory(is_staff=False)
    like_url = published_article.get_absolute_url() + "like/"
    for _ in range(2):
        browser = type(client)()
        browser.force_login(user)
        browser.post(like_url, **ORIGIN)
    assert Like.objects.filter(user=user).count() == 1


def test_likes_from_other_sites_and_for_hidden_articles_are_refused(client):
    article = ArticleFactory()
    assert client.post(article.get_absolute_url() + "like/").status_code == 403
    draft = ArticleFactory(status="draft", published_at=None)
    url = f"/2026/01/01/{draft.slug}/like/"
    assert client.post(url, **ORIGIN).status_code == 404
    assert not Like.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_end_with_the_exact_count(live_server):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL (CI runs it)")
    import urllib.request

    article = ArticleFactory()
    url = live_server.url + article.get_absolute_url() + "like/"
    barrier = threading.Barrier(20)
    errors = []

    def like(n):
        request = urllib.request.Request(
            url,
            method="POST",
            headers={"Origin": live_server.url, "Accept": "application/json"},
        )
        barrier.wait()
        try:
            urllib.request.urlopen(request, timeout=30).read()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=like, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Like.objects.filter(article=article).count() == 20


def test_likes_and_comment_counts_show_on_listings_without_extra_queries(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    warm_news_box()  # asked for once per five minutes, not per content change
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    articles = ArticleFactory.create_batch(3)
    approved_comment(articles[0])
    approved_comment(articles[0])
    Like.objects.create(article=articles[1], reader="r1")
    with CaptureQueriesContext(conn) as few:
        home = client.get("/")
    assert "2 comments" in texts(home, ".summary .comment-count")
    assert "1 like" in texts(home, ".summary .like-count")
    with django_capture_on_commit_callbacks(execute=True):
        more = ArticleFactory.create_batch(5)
        for article in more:
            approved_comment(article)
            Like.objects.create(article=article, reader="r2")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/")


def test_held_comments_do_not_count(client, published_article):
    approve(approved_comment(published_article))
    held = approved_comment(published_article)
    held.set_status(Comment.Status.PENDING)
    page = client.get(published_article.get_absolute_url())
    assert text(page, "#comments-title").startswith("1 comment on")
