"""An original export (fixtures/clinic-blog.xml): captions, a gallery and video addresses in a
classic post, a block-editor post, a page readers comment on; and a re-import after staff
edited here."""

from io import StringIO

import feedparser
import pytest
from django.core.management import call_command

from articles.models import Article, Page
from comments.models import Comment
from tests import pages
from tests.wordpress.conftest import FIXTURES
from wordpress.importer import import_wordpress

CLINIC = FIXTURES / "clinic-blog.xml"
pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(db):
    return import_wordpress([CLINIC])


def test_captions_galleries_and_videos_of_a_classic_post(client, clinic):
    page = client.get("/2024/01/15/three-stretches/")
    body = pages.one(page, ".entry-content")
    caption = body.select_one("figure:not(.gallery):not(.video-card)")
    assert caption.img["alt"] == "A woman lying on her back hugging one knee"
    assert str(caption.figcaption) == (
        "<figcaption>The knee hug: <em>hold for ten breaths</em></figcaption>"
    )
    # [gallery ids="201,202"]: the attached images, each with WordPress's caption when it had one.
    gallery = body.select_one("figure.gallery")
    assert [img["alt"] for img in gallery.select("img")] == [
        "A woman lying on her back hugging one knee",
        "On hands and knees, back rounded",
    ]
    assert [c.get_text() for c in gallery.select("figcaption")] == ["The knee hug"]
    # A bare YouTube or Vimeo address on its line: a card linking to the video, and nothing on
    # the page that would make the reader's browser ask either site for anything.
    cards = body.select("figure.video-card a")
    assert [a["href"] for a in cards] == [
        "https://www.youtube.com/watch?v=Str3tchW33k",
        "https://vimeo.com/761234567",
    ]
    assert [a.get_text() for a in cards] == [
        "Watch the video on YouTube",
        "Watch the video on Vimeo",
    ]
    source = pages.source(page)
    assert "<iframe" not in source and "youtube.com/embed" not in source
    assert not [
        tag
        for tag in pages.parse(page).select("[src]")
        if "youtu" in tag["src"] or "vimeo" in tag["src"]
    ]
    assert body.select_one('a[href="/ask-the-nurse/"]').get_text() == "Ask the nurse"


def test_a_block_editor_post_and_what_the_report_names(client, clinic):
    page = client.get("/2024/02/05/walking-plan/")
    assert "<!-- wp:" not in pages.source(page)
    body = pages.one(page, ".entry-content")
    assert (
        body.select_one("figure figcaption").get_text() == "Your first walk: to the end of the hall"
    )
    assert [td.get_text() for td in body.select("td")] == ["1", "5 minutes", "2", "10 minutes"]
    assert body.select_one("blockquote").get_text(" ", strip=True) == (
        "A little every day beats a lot on Sunday. — Ada Brennan, RN"
    )
    assert [li.get_text() for li in body.select("li")] == ["Wear flat shoes", "Take your phone"]
    assert body.select_one("hr") is not None
    assert body.select_one("figure.video-card a")["href"] == (
        "https://www.youtube.com/watch?v=Wa1kPlan22"
    )
    assert body.select_one("a.button")["href"] == "/ask-the-nurse/"
    assert "Weekdays 8 to 5." in body.get_text()
    assert dict(clinic.blocks_left_out) == {"latest-posts": 1}
    assert dict(clinic.unmapped_blocks) == {"clinic/opening-hours": ["302"]}
    lines = list(clinic.lines())
    assert "  clinic/opening-hours: 302" in lines


def test_a_pages_comments_are_imported_threaded_and_shown(client, clinic):
    page = client.get("/ask-the-nurse/")
    assert pages.texts(page, "#comments .comment-text") == [
        "May I drive to my follow-up visit two weeks after surgery?",
        "Ask your surgeon first; most people wait until they no longer need strong pain medicine.",
    ]
    reply = Comment.objects.get(wp_id=502)
    assert reply.parent_id == Comment.objects.get(wp_id=501).pk and reply.level == 1
    assert pages.nowhere(page, "Still waiting for moderation.")
    assert Comment.objects.get(wp_id=503).status == Comment.Status.PENDING
    assert pages.select(page, "form.comment-form")  # WordPress had comments open
    feed = feedparser.parse(client.get("/ask-the-nurse/feed/").content)
    assert [entry.author for entry in feed.entries] == ["Ada Brennan, RN", "Tomás R."]
    # A page whose comments were closed, with none, shows no comment section at all.
    assert not pages.select(client.get("/visit-us/"), "#comments")


def test_staff_edits_survive_a_re_import_and_are_listed(clinic):
    article = Article.objects.get(wp_id=301)
    article.title = "Three gentle stretches for week one"
    article.body += "\n\nEdited here: ask before you start."
    article.save()
    page = Page.objects.get(wp_id=401)
    page.comments_open = False
    page.save()

    again = import_wordpress([CLINIC])
    article.refresh_from_db()
    page.refresh_from_db()
    assert article.title == "Three gentle stretches for week one"
    assert "Edited here" in article.body_html
    assert not page.comments_open
    assert again.counts["posts"]["kept"] == 1 and again.counts["posts"]["unchanged"] == 1
    assert again.counts["pages"]["kept"] == 1
    lines = list(again.lines())
    assert "  posts        1 unchanged, 1 kept" in lines
    assert (
        "  post 301 “Three gentle stretches for week one” (/2024/01/15/three-stretches/)" in lines
    )
    assert "  page 401 “Ask the nurse” (/ask-the-nurse/)" in lines
    # The comments on a kept page are still WordPress's.
    assert again.counts["comments"]["unchanged"] == 3

    # --overwrite takes the export's version, and a later import finds nothing edited.
    out = StringIO()
    call_command("import_wordpress", str(CLINIC), "--overwrite", stdout=out)
    article.refresh_from_db()
    page.refresh_from_db()
    assert article.title == "Three stretches for the first week home"
    assert "Edited here" not in article.body_html and page.comments_open
    assert "Edited here since the last import" not in out.getvalue()
    assert not import_wordpress([CLINIC]).edited
