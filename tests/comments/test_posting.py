import base64
import datetime
import pickle
import zlib

import pytest
from django.utils import timezone

from comments.models import Comment
from comments.policy import approve
from tests.comments.conftest import (
    ORIGIN,
    approved_comment,
    comment_data,
    links_in,
    path_of,
    without_own_comment,
)
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.news_box import warm_news_box
from tests.pages import nowhere, one, select, text, texts
from tests.smtp import body_text

pytestmark = pytest.mark.django_db


def confirm_link(inbox, address):
    [message] = inbox.to(address)
    [url] = [u for u in links_in(message) if "/comments/confirm/" in u]
    return url


def test_a_guest_comment_waits_for_its_address_to_be_confirmed(
    client, post_comment, published_article, smtp_server, django_capture_on_commit_callbacks
):
    response = post_comment(published_article)
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert "Please confirm your email address" in text(landing, "main")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert nowhere(client.get(published_article.get_absolute_url()), comment.comment)

    url = confirm_link(smtp_server, "pat@example.org")
    assert url.startswith("http://127.0.0.1:8000/comments/confirm/")
    # Opening the link (as a mail scanner would) changes nothing.
    page = client.get(path_of(url))
    assert page.status_code == 200
    assert texts(page, "main form button") == ["Confirm my comment"]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.UNCONFIRMED

    response = client.post(path_of(url))
    comment.refresh_from_db()
    # A first comment from an address is held for staff, as WordPress does by default.
    assert comment.status == Comment.Status.PENDING
    assert "awaiting moderation" in text(response, "main")
    with django_capture_on_commit_callbacks(execute=True):
        approve(comment)
    shown = one(client.get(published_article.get_absolute_url()), f"li.comment#c{comment.pk}")
    assert comment.comment in text(shown, ".comment-text")


def test_confirm_links_hold_no_address_no_pickle_and_work_once(
    client, post_comment, published_article, smtp_server
):
    post_comment(published_article)
    url = confirm_link(smtp_server, "pat@example.org")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert "pat" not in url and "example.org" not in url.split("/comments/")[1]
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    for blob in (raw, _maybe_inflate(raw)):
        with pytest.raises(Exception):  # noqa: B017 - any failure means "not a pickle"
            pickle.loads(blob)  # noqa: S301
    assert client.post(path_of(url)).status_code == 200
    assert client.post(path_of(url)).status_code == 404
    assert client.get(path_of(url)).status_code == 404


def _maybe_inflate(raw):
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return raw


def test_confirm_links_expire(client, post_comment, published_article, smtp_server, settings):
    post_comment(published_article)
    url = confirm_link(smtp_server, "pat@example.org")
    Comment.objects.update(
        confirm_sent_at=timezone.now()
        - datetime.timedelta(seconds=settings.COMMENTS_CONFIRM_MAX_AGE + 1)
    )
    assert client.get(path_of(url)).status_code == 404
    assert client.post(path_of(url)).status_code == 404
    assert Comment.objects.get().status == Comment.Status.UNCONFIRMED


def test_a_browser_that_confirmed_its_address_skips_the_mail_next_time(
    client, post_comment, published_article, smtp_server
):
    post_comment(published_article)
    client.post(path_of(confirm_link(smtp_server, "pat@example.org")))
    approve(Comment.objects.get())
    smtp_server.clear()

    post_comment(published_article, comment="A second thought from me.")
    second = Comment.objects.latest("pk")
    assert second.status == Comment.Status.APPROVED
    assert smtp_server.to("pat@example.org") == []


def test_typing_an_approved_commenters_address_skips_nothing(
    client, post_comment, published_article, smtp_server
):
    approved_comment(published_article, user_email="known@example.org")
    response = post_comment(published_article, email="known@example.org", name="Impostor")
    comment = Comment.objects.get(user_name="Impostor")
    assert comment.status == Comment.Status.UNCONFIRMED
    assert "Please confirm your email address" in text(client.get(response["Location"]), "main")
    assert len(smtp_server.to("known@example.org")) == 1


def test_the_answer_never_reveals_whether_an_address_has_commented(
    client, post_comment, published_article, smtp_server
):
    approved_comment(published_article, user_email="known@example.org")
    known = client.get(post_comment(published_article, email="known@example.org")["Location"])
    new = client.get(post_comment(published_article, email="new@example.org")["Location"])
    assert known.status_code == new.status_code == 200
    # Each comment's own id and time (what this browser keeps to show it to its writer) differ.
    assert one(without_own_comment(known.content.decode(), ""), "main") == one(
        without_own_comment(new.content.decode(), ""), "main"
    )  # the same elements, attributes and text


def test_xtd_own_confirm_mute_and_api_urls_answer_404(client, published_article):
    approved = approved_comment(published_article)
    for url in [
        "/comments/confirm/eJxVjE0KwjAQhe8y6yC0tibNUlyIrv0ZGpmxTUnSQjIFRby7TXXj7vG9970n/AeeVFbvMabs1/",
        "/comments/mute/eJxVjE0KwjAQhe8y6yC0tibNUlyIrv0ZGpmxTUnSQjIFRby7TXXj7vG9970n/",
        "/comments/api/comment/",
        f"/comments/api/articles-article/{published_article.pk}/",
        "/comments/sent/",
        f"/comments/like/{approved.pk}/",
        f"/comments/flag/{approved.pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_approving_a_held_parent_does_not_publish_its_held_replies(client, published_article):
    parent = approved_comment(published_article, comment="Parent text")
    reply = approved_comment(published_article, comment="Held reply text", parent_id=parent.pk)
    reply.set_status(Comment.Status.PENDING)
    parent.set_status(Comment.Status.PENDING)
    approved_reply = approved_comment(published_article, comment="Fine reply", parent_id=parent.pk)
    approved_reply.refresh_from_db()
    assert not approved_reply.is_public  # its parent is held

    approve(parent)
    page = client.get(published_article.get_absolute_url())
    assert "Parent text" in text(page, ".comment-text")
    assert "Fine reply" in text(page, ".comment-text")
    assert nowhere(page, "Held reply text")


def test_unapproving_a_parent_hides_its_replies(client, published_article):
    parent = approved_comment(published_article, comment="Parent text")
    approved_comment(published_article, comment="Reply text", parent_id=parent.pk)
    parent.set_status(Comment.Status.SPAM)
    page = client.get(published_article.get_absolute_url())
    assert nowhere(page, "Parent text") and nowhere(page, "Reply text")


def test_a_reply_deeper_than_the_maximum_is_refused_before_saving(
    client, post_comment, published_article, settings
):
    assert settings.COMMENTS_MAX_DEPTH == 3
    top = approved_comment(published_article)
    second = approved_comment(published_article, parent_id=top.pk)
    third = approved_comment(published_article, parent_id=second.pk)
    assert third.depth == 3
    before = Comment.objects.count()
    response = post_comment(published_article, reply_to=third.pk)
    assert response.status_code == 200
    assert "Replies nest only 3 levels deep" in text(response, "main")
    assert Comment.objects.count() == before
    assert client.get(f"/comments/reply/{third.pk}/").status_code == 403
    assert client.get(f"/comments/reply/{second.pk}/").status_code == 200


def test_reply_page_is_404_for_a_comment_readers_cannot_see(client, published_article):
    held = approved_comment(published_article, user_name="Hidden Name")
    held.set_status(Comment.Status.PENDING)
    response = client.get(f"/comments/reply/{held.pk}/")
    assert response.status_code == 404
    assert nowhere(response, "Hidden Name")


def test_honeypot_and_too_fast_posts_are_refused(client, published_article):
    response = client.post(
        "/comments/post/", comment_data(published_article, honeypot="http://spam"), **ORIGIN
    )
    assert response.status_code == 400
    response = client.post("/comments/post/", comment_data(published_article, age=0), **ORIGIN)
    assert response.status_code == 400
    assert "quicker than anyone can write" in text(response, "main")
    assert not Comment.objects.exists()


def test_posts_from_another_site_are_refused(client, published_article):
    data = comment_data(published_article)
    assert client.post("/comments/post/", data).status_code == 403
    response = client.post("/comments/post/", data, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_comments_on_anything_but_articles_are_refused(client, published_article):
    data = comment_data(published_article, content_type="auth.user", object_pk=1)
    assert client.post("/comments/post/", data, **ORIGIN).status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.usefixtures("steady_rate_window")
def test_a_flood_is_answered_429(client, post_comment, published_article, settings, smtp_server):
    settings.COMMENTS_RATE_LIMIT = 5
    statuses = [
        post_comment(
            published_article, comment=f"Comment {n}", email=f"p{n}@example.org"
        ).status_code
        for n in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    response = post_comment(published_article, email="other@example.org")
    assert response.status_code == 429
    assert "Wait a minute" in text(response, "main")
    assert Comment.objects.count() == 5


@pytest.mark.usefixtures("steady_rate_window")
def test_the_same_address_is_limited_across_addresses(
    client, post_comment, published_article, settings, smtp_server
):
    settings.COMMENTS_RATE_LIMIT = 2
    first = post_comment(published_article, REMOTE_ADDR="10.0.0.1")
    assert first.status_code == 302
    statuses = []
    for ip in ("10.0.0.2", "10.0.0.3"):
        client.defaults["REMOTE_ADDR"] = ip
        statuses.append(post_comment(published_article).status_code)
    assert statuses == [302, 429]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("See https://a.example https://b.example https://c.example", "links"),
        ("Cheap VIAGRA here", "blocked word"),
    ],
)
def test_links_and_blocked_words_always_hold_the_comment(
    client, post_comment, published_article, smtp_server, text, reason
):
    approved_comment(published_article, user_email="pat@example.org")
    post_comment(published_article, comment="First, fine.")
    client.post(path_of(confirm_link(smtp_server, "pat@example.org")))
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED
    post_comment(published_article, comment=text)
    held = Comment.objects.latest("pk")
    assert held.status == Comment.Status.PENDING
    assert reason in held.hold_reason


def test_staff_are_told_about_comments_awaiting_moderation(
    client, post_comment, published_article, smtp_server, django_capture_on_commit_callbacks
):
    UserFactory(username="moderator", email="mod@practice.example", groups=["Editors"])
    post_comment(published_article)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path_of(confirm_link(smtp_server, "pat@example.org")))
    [message] = smtp_server.to("mod@practice.example")
    assert "awaiting moderation" in message["Subject"].lower()
    assert "/admin/comments/comment/" in body_text(message)


def test_closed_articles_show_it_and_refuse_comments(client, post_comment, settings):
    closed = ArticleFactory(comments_open=False)
    page = client.get(closed.get_absolute_url())
    assert text(page, ".comments-closed") == "Comments are closed."
    assert nowhere(page, "Leave a Reply")
    assert not select(page, "form.comment-form")
    response = post_comment(closed)
    assert "Comments are closed" in text(response, "main")
    assert not Comment.objects.exists()

    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=31))
    assert text(client.get(old.get_absolute_url()), ".comments-closed") == "Comments are closed."
    post_comment(old)
    assert not Comment.objects.exists()


def test_a_comment_longer_than_the_cap_gets_a_clear_message(post_comment, published_article):
    response = post_comment(published_article, comment="x" * 5001)
    assert response.status_code == 200
    assert "at most 5,000 characters" in text(response, ".errorlist")
    assert not Comment.objects.exists()


def test_staff_comment_without_the_guest_fields_and_get_a_badge(
    client, published_article, django_capture_on_commit_callbacks
):
    writer = UserFactory(username="surgeon", first_name="Maya", last_name="L", email="m@x.org")
    published_article.author.user = writer
    published_article.author.save()
    colleague = UserFactory(username="nurse", first_name="Ann", last_name="N", email="a@x.org")
    for user, words in ((writer, "From the author."), (colleague, "From the team.")):
        client.force_login(user)
        form = one(client.get(published_article.get_absolute_url()), "#respond form")
        assert not form.select('[name="email"]')
        assert "never confirm or suggest that a commenter is a patient" in text(form)
        data = comment_data(published_article, comment=words)
        for field in ("name", "email", "url"):
            data.pop(field)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/comments/post/", data, **ORIGIN).status_code == 302
    client.logout()
    badges = texts(client.get(published_article.get_absolute_url()), ".comment .badge")
    assert sorted(badges) == ["Author", "Practice team"]


def test_no_commenter_email_or_ip_appears_in_public_pages(client, post_comment, smtp_server):
    article = ArticleFactory()
    approved_comment(
        article, user_email="secret.person@example.org", ip_address="203.0.113.77",
        user_url="https://their.site/",
    )  # fmt: skip
    for url in [article.get_absolute_url(), "/", article.category.get_absolute_url()]:
        page = client.get(url)
        assert nowhere(page, "secret.person")
        assert nowhere(page, "203.0.113.77")


def test_article_page_queries_do_not_grow_with_comments(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    warm_news_box()  # asked for once per five minutes, not per content change
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = AuthorFactory()
    article = ArticleFactory(author=author)
    approved_comment(article)
    with CaptureQueriesContext(connection) as one:
        client.get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        tops = [approved_comment(article, comment=f"Top {n}") for n in range(100)]
        seconds = [approved_comment(article, parent_id=t.pk, comment="second") for t in tops]
        for s in seconds[:99]:
            approved_comment(article, parent_id=s.pk, comment="third")
    assert Comment.objects.visible().count() == 300
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(article.get_absolute_url())
    assert text(response, "#comments-title").startswith("300 comments")
    assert len(select(response, "li.comment")) == 300


def test_replies_to_a_hidden_comment_are_refused(client, post_comment, published_article):
    spam = approved_comment(published_article, comment="Buy things")
    spam.set_status(Comment.Status.SPAM)
    before = Comment.objects.count()
    response = post_comment(published_article, reply_to=spam.pk)
    assert "does not exist" in text(response, "main")
    assert Comment.objects.count() == before


def test_only_staff_who_may_moderate_are_told_and_in_one_query(
    client, post_comment, published_article, smtp_server, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comments.tasks import moderator_addresses

    UserFactory(username="ed", email="ed@practice.example", groups=["Editors"])
    UserFactory(username="boss", email="boss@practice.example", is_superuser=True)
    UserFactory(username="writer", email="writer@practice.example", groups=["Authors"])
    UserFactory(username="gone", email="gone@practice.example", groups=["Editors"], is_active=False)
    with CaptureQueriesContext(connection) as queries:
        addresses = sorted(moderator_addresses())
    assert addresses == ["boss@practice.example", "ed@practice.example"]
    assert len(queries.captured_queries) == 1
