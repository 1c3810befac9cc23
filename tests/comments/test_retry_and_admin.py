import datetime

import pytest
from django.utils import timezone

from comments.models import Comment
from tests.comments.conftest import approved_comment
from tests.factories import UserFactory
from tests.pages import attrs, nowhere, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_temporary_smtp_failure_is_retried_later(published_article, smtp_server, db_tasks):
    from django_tasks_db.models import DBTaskResult

    from comments import tasks

    comment = Comment(
        content_object=published_article, site_id=1, user_name="Pat",
        user_email="pat@example.org", comment="Hello", submit_date=timezone.now(),
    )  # fmt: skip
    comment.save()
    smtp_server.down = True
    assert tasks.send_confirmation.call(comment.pk) == 0
    assert smtp_server.messages == []
    [retry] = DBTaskResult.objects.filter(task_path="comments.tasks.send_confirmation")
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)
    assert retry.args_kwargs["args"] == [comment.pk, 2]

    smtp_server.down = False
    tasks.send_confirmation.call(*retry.args_kwargs["args"])
    assert len(smtp_server.to("pat@example.org")) == 1


def test_a_refused_address_is_not_retried(published_article, smtp_server, db_tasks):
    from django_tasks_db.models import DBTaskResult

    from comments import tasks

    comment = Comment(
        content_object=published_article, site_id=1, user_name="Pat",
        user_email="nobody@example.org", comment="Hello", submit_date=timezone.now(),
    )  # fmt: skip
    comment.save()
    smtp_server.refuse.add("nobody@example.org")
    tasks.send_confirmation.call(comment.pk)
    assert not DBTaskResult.objects.exists()


def test_staff_approve_and_mark_spam_in_bulk(client, published_article):
    client.force_login(UserFactory(username="ed", groups=["Editors"]))
    held = [approved_comment(published_article, comment=f"held {n}") for n in range(3)]
    for comment in held:
        comment.set_status(Comment.Status.PENDING)
    response = client.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [c.pk for c in held[:2]]},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(status="approved").count() == 2
    client.post(
        "/admin/comments/comment/",
        {"action": "mark_spam", "_selected_action": [held[2].pk]},
    )
    assert Comment.objects.get(pk=held[2].pk).status == Comment.Status.SPAM
    listing = client.get("/admin/comments/comment/?status__exact=approved")
    assert "held 0" in text(listing, "#result_list") and nowhere(listing, "held 2")


def test_erasing_an_address_removes_its_comments_but_keeps_others_replies(
    client, published_article
):
    client.force_login(UserFactory(username="ed", groups=["Editors"]))
    parent = approved_comment(
        published_article,
        user_email="Leaving@Example.org",
        comment="Private story",
        user_name="Lee",
    )
    reply = approved_comment(published_article, parent_id=parent.pk, comment="A reply")
    form = client.get("/admin/comments/comment/erase/")
    assert attrs(form, '#content form [type="submit"]', "value") == ["Erase"]
    response = client.post("/admin/comments/comment/erase/", {"email": "leaving@example.org"})
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.user_email == "" and parent.ip_address is None
    assert "Private story" not in parent.comment and parent.user_name == "(erased)"
    assert not Comment.objects.filter(user_email__iexact="leaving@example.org").exists()
    reply.refresh_from_db()
    assert reply.comment == "A reply"
    page = client.get(published_article.get_absolute_url())
    assert nowhere(page, "Private story") and nowhere(page, "Lee")


def test_the_admin_reminds_staff_about_patient_privacy(client, published_article):
    client.force_login(UserFactory(username="ed", groups=["Editors"]))
    comment = approved_comment(published_article)
    page = client.get(f"/admin/comments/comment/{comment.pk}/change/")
    assert "never confirm or suggest that a commenter is a patient" in text(page, "#content")
