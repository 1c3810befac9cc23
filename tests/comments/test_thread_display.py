"""What a reader sees of a comment thread: times in the site's zone, badges, staff names."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import Comment
from comments.staff import STAFF_FALLBACK_NAME, staff_name
from tests.comments.conftest import ORIGIN, approved_comment, comment_data
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=2))


def test_comment_times_are_in_the_sites_time_zone_with_the_full_date_on_hover(
    client, article, settings
):
    settings.TIME_ZONE = "America/Chicago"
    moment = datetime.datetime(2026, 7, 5, 5, 49, tzinfo=datetime.UTC)
    comment = approved_comment(article, submit_date=moment)
    html = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    time = html.select_one(f"#c{comment.pk} .comment-date time")
    assert time.get_text() == "5 July 2026 at 00:49"
    assert time["datetime"] == "2026-07-05T00:49:00-05:00"
    assert time["title"] == "Sunday 5 July 2026 at 00:49 (CDT)"


def test_a_staff_member_signs_with_their_display_name_never_their_login_name(
    client, article, django_capture_on_commit_callbacks
):
    nameless = UserFactory(username="staff", first_name="", last_name="", is_staff=True)
    named = UserFactory(username="jdoe", first_name="Jane", last_name="Doe", is_staff=True)
    profiled = UserFactory(username="mlind", first_name="M", last_name="L", is_staff=True)
    AuthorFactory(name="Dr Maya Lindqvist", user=profiled)
    assert [staff_name(u) for u in (nameless, named, profiled)] == [
        STAFF_FALLBACK_NAME, "Jane Doe", "Dr Maya Lindqvist",
    ]  # fmt: skip

    client.force_login(nameless)
    form = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    said = " ".join(form.select_one("#respond").get_text(" ").split())
    assert "Commenting as The practice team (add your first and last name" in said
    data = comment_data(article, comment="From the front desk.")
    for field in ("name", "email", "url"):
        data.pop(field)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/comments/post/", data, **ORIGIN).status_code == 302
    client.logout()
    comment = Comment.objects.get()
    assert comment.user_name == STAFF_FALLBACK_NAME
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    meta = page.select_one(f"#c{comment.pk} .comment-meta").get_text(" ", strip=True)
    assert meta.startswith("TP The practice team Practice team")
    assert "staff" not in meta.split()


def test_an_over_long_comment_is_refused_with_its_length_and_nothing_is_cut(client, article):
    response = client.post("/comments/post/", comment_data(article, comment="x" * 10_000), **ORIGIN)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Your comment needs a change"
    assert "at most 5,000 characters; this one has 10,000" in page.select_one("#respond").text
    assert len(page.select_one("textarea[name=comment]").get_text().strip()) == 10_000
    assert page.select_one("textarea[name=comment]").get("maxlength") is None
    # Its form's heading sits under the page's h1, not two levels below.
    assert page.select_one("#reply-title").name == "h2"
    assert not Comment.objects.exists()
