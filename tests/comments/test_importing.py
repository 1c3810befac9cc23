"""comments.importing: the door through which another system's comments come in."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.importing import ImportedComment, Status, import_comments
from comments.models import Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
START = datetime.datetime(2023, 4, 13, 12, 0, tzinfo=datetime.UTC)


def imported(wp_id, parent=None, status=Status.APPROVED, text=None, **fields):
    values = {
        "wp_id": wp_id,
        "wp_parent_id": parent,
        "user_name": f"Reader {wp_id}",
        "user_email": f"reader{wp_id}@example.org",
        "user_url": "",
        "user_id": None,
        "text": text or f"Comment number {wp_id}.",
        "submit_date": START + datetime.timedelta(minutes=wp_id),
        "ip_address": "198.51.100.7",
        "status": status,
    }
    values.update(fields)
    return ImportedComment(**values)


def by_wp_id():
    return {c.wp_id: c for c in Comment.objects.all()}


def test_a_thread_is_placed_as_xtd_would_and_shown_on_the_article(client):
    article = ArticleFactory()
    result = import_comments(
        article, [imported(1), imported(2, parent=1), imported(3, parent=2), imported(4)]
    )
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    rows = by_wp_id()
    assert [(rows[n].level, rows[n].order) for n in (1, 2, 3)] == [(0, 1), (1, 2), (2, 3)]
    assert rows[2].parent_id == rows[1].pk and rows[3].parent_id == rows[2].pk
    assert {rows[n].thread_id for n in (1, 2, 3)} == {rows[1].pk}
    assert rows[1].nested_count == 2
    assert rows[4].thread_id == rows[4].pk == rows[4].parent_id
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    shown = [int(li["id"][1:]) for li in page.select("li.comment")]
    assert shown == [rows[n].pk for n in (1, 2, 3, 4)]


def test_text_is_rendered_as_a_saved_comment_renders_it():
    article = ArticleFactory()
    text = "See https://example.org/guide\n\n<b>bold</b> and *stars*"
    import_comments(article, [imported(1, text=text)])
    saved = Comment(
        content_object=article, site_id=1, user_name="Typed here", comment=text,
        status=Comment.Status.APPROVED,
    )  # fmt: skip
    saved.save()
    assert Comment.objects.get(wp_id=1).text_html == saved.text_html
    assert '<a href="https://example.org/guide" rel="nofollow ugc noopener">' in saved.text_html
    assert "<b>" not in saved.text_html


def test_statuses_and_the_visibility_of_replies():
    article = ArticleFactory()
    import_comments(
        article,
        [
            imported(1, status=Status.PENDING),
            imported(2, parent=1),  # approved, under a held comment
            imported(3, status=Status.SPAM),
            imported(4, status=Status.REMOVED),
            imported(5),
        ],
    )
    rows = by_wp_id()
    assert [rows[n].is_public for n in (1, 2, 3, 4, 5)] == [False, False, False, False, True]
    assert rows[4].is_removed and not rows[5].is_removed
    assert list(Comment.objects.visible()) == [rows[5]]


def test_too_deep_replies_and_missing_parents_are_reported(settings):
    settings.COMMENTS_MAX_DEPTH = 2
    article = ArticleFactory()
    result = import_comments(
        article,
        [imported(1), imported(2, parent=1), imported(3, parent=2), imported(4, parent=99)],
    )
    rows = by_wp_id()
    assert rows[3].parent_id == rows[1].pk and rows[3].level == 1 and rows[3].wp_parent_id == 2
    assert result.moved == 1
    assert result.orphans == [(4, 99)]
    assert rows[4].level == 0


def test_importing_again_adds_nothing_and_updates_what_changed():
    article = ArticleFactory()
    first = [imported(1), imported(2, parent=1, status=Status.PENDING), imported(3, parent=2)]
    import_comments(article, first)
    again = import_comments(article, first)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Comment.objects.count() == 3
    changed = [imported(1, text="Edited since."), imported(2, parent=1), imported(3, parent=2)]
    result = import_comments(article, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    rows = by_wp_id()
    assert rows[1].comment == "Edited since." and "Edited since." in rows[1].text_html
    # Approved now: it and the approved reply below it are shown.
    assert rows[2].is_public and rows[3].is_public


def test_a_reply_written_here_after_an_import_keeps_its_place():
    article = ArticleFactory()
    import_comments(article, [imported(1), imported(2)])
    first = Comment.objects.get(wp_id=1)
    reply = Comment(
        content_object=article, site_id=1, user_name="New reader", comment="Me too.",
        parent_id=first.pk, status=Comment.Status.APPROVED, submit_date=timezone.now(),
    )  # fmt: skip
    reply.save()
    import_comments(article, [imported(1), imported(2), imported(3, parent=1)])
    reply.refresh_from_db()
    assert reply.parent_id == first.pk and reply.thread_id == first.pk and reply.level == 1
    order = list(Comment.objects.for_target(article).values_list("wp_id", "level"))
    assert order == [(1, 0), (3, 1), (None, 1), (2, 0)]


def test_no_signal_is_sent_for_an_imported_comment():
    article = ArticleFactory()
    saved = []

    def record(sender, instance, **kwargs):
        saved.append(instance)

    post_save.connect(record, sender=Comment)
    try:
        import_comments(article, [imported(1), imported(2, parent=1)])
    finally:
        post_save.disconnect(record, sender=Comment)
    assert saved == []
    assert Comment.objects.count() == 2


def test_comments_are_written_in_bulk_not_one_by_one():
    def queries(first_id, count):
        """Queries to import `count` comments, every third starting a thread."""
        comments = [
            imported(n, parent=None if (n - first_id) % 3 == 0 else n - 1)
            for n in range(first_id, first_id + count)
        ]
        article = ArticleFactory()
        with CaptureQueriesContext(connection) as captured:
            result = import_comments(article, comments)
        assert result.created == count
        return len(captured)

    queries(1, 6)  # what any first import loads once (the content type)
    few = queries(1000, 6)
    # A few statements a table for each batch the database takes, never one a comment.
    assert few <= queries(100, 300) < 300 / 10
