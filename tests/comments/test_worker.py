"""Comment mail through the real worker process, on both task backends (db and rq)."""

import pytest

from comments.models import Comment
from comments.policy import approve
from tests.comments.conftest import ORIGIN, approved_comment, comment_data, links_in, path_of
from tests.factories import UserFactory
from tests.smtp import body_text
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_confirmation_moderation_and_follow_up_mail_go_out_through_the_worker(
    client, task_queue, smtp_server, start_worker, published_article
):
    # A superuser: transactional tests start without the groups the migrations create.
    UserFactory(username="moderator", email="mod@practice.example", is_superuser=True)
    approved_comment(published_article, followup=True)  # follows the thread
    worker = start_worker()

    client.post("/comments/post/", comment_data(published_article), **ORIGIN)
    assert smtp_server.wait_for(1), worker.output()
    [message] = smtp_server.to("pat@example.org")
    [url] = [u for u in links_in(message) if "/comments/confirm/" in u]

    client.post(path_of(url))  # a first comment from this address waits for staff
    wait_until(lambda: smtp_server.to("mod@practice.example"), message=worker.output)
    [moderation] = smtp_server.to("mod@practice.example")
    assert "awaiting moderation" in moderation["Subject"].lower()

    approve(Comment.objects.get(user_email="pat@example.org"))
    wait_until(lambda: smtp_server.to("earlier@example.org"), message=worker.output)
    [follow_up] = smtp_server.to("earlier@example.org")
    assert "Thank you, this helped me" in body_text(follow_up)
    assert smtp_server.count_to() == {
        "pat@example.org": 1,
        "mod@practice.example": 1,
        "earlier@example.org": 1,
    }
