import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image

from articles.models import Article
from subscriptions.models import Delivery, Follower, Notification
from subscriptions.tasks import recover
from tests import pages
from tests.articles.test_admin import article_form
from tests.factories import AuthorFactory, CategoryFactory
from tests.smtp import body_html, body_text
from tests.subscriptions.conftest import publish, run_queued_tasks
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (20, 120, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile("spine-model.jpg", buffer.getvalue(), "image/jpeg")


def test_publishing_mails_each_active_follower_once_and_nobody_else(smtp_server, committed):
    active = FollowerFactory.create_batch(3)
    FollowerFactory(email="pending@example.net", status=Follower.Status.PENDING, confirmed_at=None)
    FollowerFactory(email="left@example.net", status=Follower.Status.UNSUBSCRIBED)
    FollowerFactory(email="bounced@example.net", status=Follower.Status.BOUNCED)
    with committed():
        article = publish(title="Sciatica: when to see a surgeon")

    assert smtp_server.count_to() == {f.email: 1 for f in active}
    assert all(m["Subject"] == article.title for _, m in smtp_server.messages)
    assert sorted(
        Delivery.objects.filter(article=article).values_list("follower__email", "status")
    ) == sorted((f.email, Delivery.Status.SENT) for f in active)
    assert Notification.objects.get(article=article).recipients == 3


def test_the_mail_has_the_article_the_reason_and_a_personal_unsubscribe_link(
    smtp_server, committed, settings
):
    settings.SITE_URL = "https://backstory.example"
    FollowerFactory(email="reader@example.net")
    other = FollowerFactory(email="other@example.net")
    author = AuthorFactory(name="Dr. Maya Okafor", credentials="MD, FAAOS")
    with committed():
        article = publish(
            title="Walking after spinal fusion",
            excerpt="How far, how often, and what a good first week looks like.",
            author=author,
            featured_image=jpeg(),
            featured_image_alt="A physiotherapist walking beside a patient in a corridor",
        )

    [message] = smtp_server.to("reader@example.net")
    assert message.get_content_type() == "multipart/alternative"
    text, html = body_text(message), body_html(message)
    article_url = f"https://backstory.example{article.get_absolute_url()}"
    # The HTML part as a mail client shows it: its text, its links and its picture.
    for part in (text, pages.text(html)):
        assert "Walking after spinal fusion" in part
        assert "How far, how often, and what a good first week looks like." in part
        assert "Dr. Maya Okafor, MD, FAAOS" in part
        assert "because you follow" in part
    assert article_url in text
    assert [href for href in pages.attrs(html, "a", "href") if href.startswith(article_url)]
    [picture] = pages.select(
        html, f'img[src="https://backstory.example{article.featured_image.url}"]'
    )
    assert picture["alt"] == "A physiotherapist walking beside a patient in a corridor"

    # A long header is folded onto a continuation line; unfolded it reads " <…>".
    unsubscribe = message["List-Unsubscribe"].strip()
    assert unsubscribe.startswith("<https://backstory.example/unsubscribe/")
    assert unsubscribe.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe[1:-1]
    assert url in text and url in html
    assert "reader" not in url and "example.net" not in url
    # Personal: the other follower's link is a different one.
    assert smtp_server.to(other.email)[0]["List-Unsubscribe"].strip() != unsubscribe


def test_resaving_editing_unpublishing_and_republishing_send_nothing_again(smtp_server, committed):
    FollowerFactory.create_batch(2)
    with committed():
        article = publish()
    assert len(smtp_server.messages) == 2

    with committed():
        article.save()
        article.title = "A better title"
        article.body += "\nOne more paragraph."
        article.save()
        article.status = Article.Status.DRAFT
        article.save()
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
        article.save()
    recover()
    assert len(smtp_server.messages) == 2
    assert Delivery.objects.count() == 2


def test_followers_who_arrive_later_are_not_mailed_about_an_older_article(smtp_server, committed):
    FollowerFactory(email="early@example.net")
    with committed():
        article = publish()
    FollowerFactory(email="late@example.net")
    with committed():
        article.save()
    recover()
    assert smtp_server.count_to() == {"early@example.net": 1}


def test_a_backdated_or_imported_article_mails_nobody(smtp_server, committed):
    FollowerFactory()
    with committed():
        publish(published_at=timezone.now() - timedelta(days=30))
    recover()
    assert smtp_server.messages == []
    assert not Notification.objects.exists()


def published_now_form(author, category, slug):
    """The admin's add form as an Editor fills it in to publish at once."""
    return article_form(author, category, slug=slug, title=slug, _publish="Publish now…")


def test_the_staff_save_returns_at_once_however_many_followers(
    editor_client, db_tasks, smtp_server, committed
):
    author, category = AuthorFactory(), CategoryFactory()
    FollowerFactory()

    def save(slug):
        response = editor_client.post(
            "/admin/articles/article/add/", published_now_form(author, category, slug)
        )
        assert response.status_code == 302, response.content.decode()[:1000]
        # The confirmation publishes it.
        with committed(), CaptureQueriesContext(connection) as queries:
            response = editor_client.post(response["Location"], {"_confirm": "Publish now"})
        assert response.status_code == 302, response.content.decode()[:1000]
        return len(queries)

    save("warm-up")  # the first save fills caches (content types) the others use
    few = save("with-one-follower")
    FollowerFactory.create_batch(150)
    many = save("with-many-followers")
    # The save does the same work for 1 or 151 followers: it only queues a task.
    assert many == few
    assert not Delivery.objects.exists()
    assert smtp_server.messages == []
    assert (
        DBTaskResult.objects.filter(task_path="subscriptions.tasks.notify_followers").count() == 3
    )

    run_queued_tasks()  # the worker then mails everyone who follows, once per article
    received = smtp_server.count_to()
    assert len(received) == 151
    assert set(received.values()) == {3}


def test_a_scheduled_article_is_mailed_when_its_time_comes(db_tasks, smtp_server, committed, clock):
    FollowerFactory(email="reader@example.net")
    when = timezone.now() + timedelta(hours=2)
    with committed():
        publish(published_at=when)
    task = DBTaskResult.objects.get(task_path="subscriptions.tasks.notify_followers")
    assert task.run_after == when

    run_queued_tasks()
    assert smtp_server.messages == []
    clock.shift(timedelta(hours=2, seconds=1))
    run_queued_tasks()
    assert smtp_server.count_to() == {"reader@example.net": 1}


def test_unpublishing_before_the_scheduled_time_cancels_the_mail(
    db_tasks, smtp_server, committed, clock
):
    FollowerFactory()
    with committed():
        article = publish(published_at=timezone.now() + timedelta(hours=2))
        article.status = Article.Status.DRAFT
        article.save()
    clock.shift(timedelta(hours=3))
    run_queued_tasks()
    recover()
    run_queued_tasks()
    assert smtp_server.messages == []
    assert not Notification.objects.exists()


def test_moving_a_scheduled_article_later_mails_at_the_new_time_only(
    db_tasks, smtp_server, committed, clock
):
    FollowerFactory(email="reader@example.net")
    with committed():
        article = publish(published_at=timezone.now() + timedelta(hours=1))
        article.published_at += timedelta(hours=2)
        article.save()
    clock.shift(timedelta(hours=1, minutes=1))
    run_queued_tasks()  # the first task runs, finds the article not yet public, does nothing
    assert smtp_server.messages == []
    clock.shift(timedelta(hours=2))
    run_queued_tasks()
    assert smtp_server.count_to() == {"reader@example.net": 1}


def test_with_the_immediate_backend_a_scheduled_article_is_left_to_the_sweep(
    smtp_server, committed, clock
):
    # The immediate backend cannot run a task later: the save must still work.
    FollowerFactory(email="reader@example.net")
    with committed():
        publish(published_at=timezone.now() + timedelta(hours=1))
    assert smtp_server.messages == []
    clock.shift(timedelta(hours=1, minutes=1))
    recover()  # what the periodic sweep does
    assert smtp_server.count_to() == {"reader@example.net": 1}
