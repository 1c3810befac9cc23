import re
import time

import pytest
from django.utils import timezone

from comments.forms import CommentForm
from comments.models import Comment
from tests.factories import ArticleFactory

ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def comment_data(article, age=30, **fields):
    """What a browser posts from the article (or page) page, loaded `age` seconds earlier."""
    timestamp = int(time.time()) - age
    form = CommentForm(article)
    data = {
        "content_type": article._meta.label_lower,
        "object_pk": str(article.pk),
        "timestamp": str(timestamp),
        "security_hash": form.initial_security_hash(timestamp),
        "reply_to": "0",
        "name": "Pat Reader",
        "email": "pat@example.org",
        "url": "",
        "comment": "Thank you, this helped me understand my options.",
        "honeypot": "",
    }
    data.update(
        {k: str(v) if not isinstance(v, bool) else ("on" if v else "") for k, v in fields.items()}
    )
    if data.get("followup") == "":
        data.pop("followup")
    return data


@pytest.fixture
def post_comment(client, django_capture_on_commit_callbacks):
    def post(article, browser=None, **fields):
        browser = browser or client
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post("/comments/post/", comment_data(article, **fields), **ORIGIN)

    return post


@pytest.fixture
def published_article(db):
    return ArticleFactory(published_at=timezone.now() - timezone.timedelta(days=1))


LINK = re.compile(r"https?://[^\s\"'<>]+")


def links_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return LINK.findall(text)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def approved_comment(article, **fields):
    defaults = {
        "content_object": article,
        "site_id": 1,
        "user_name": "Earlier Reader",
        "user_email": "earlier@example.org",
        "comment": "An approved comment.",
        "submit_date": timezone.now(),
    }
    defaults.update(fields)
    comment = Comment(**defaults)
    comment.save()
    comment.set_status(Comment.Status.APPROVED)
    return comment


def without_own_comment(page, text):
    """A landing page without what differs by comment: its text, and its id and time (in the
    link back to it and in what the browser keeps to show it to its writer)."""
    page = re.sub(r'<script id="held-comment".*?</script>', "", page, flags=re.DOTALL)
    return re.sub(r"#c\d+", "#c", page.replace(text, ""))
