import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, ArticleRedirect, Category, Page, Tag
from authors.models import Author
from comments.models import Comment, ip_digest
from tests import pages
from tests.wordpress.conftest import EXPORT, export_text, row_counts, write_export
from wordpress.importer import import_wordpress
from wordpress.models import WordPressAttachment

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def article(wp_id):
    return Article.objects.get(wp_id=wp_id)


def comment(wp_id):
    return Comment.objects.get(wp_id=wp_id)


def test_authors_categories_with_parents_and_tags(imported):
    assert {(a.name, a.slug) for a in Author.objects.all()} == {
        ("Dr. Maya Lindqvist", "drmaya"),
        ("Samuel Okafor", "samokafor"),
    }
    sciatica = Category.objects.get(slug="sciatica")
    assert sciatica.parent.slug == "spine-conditions"
    assert Category.objects.get(slug="herniated-disc").parent == sciatica
    assert Category.objects.get(slug="recovery").name == "Recovery & Rehab"
    assert Category.objects.get(slug="spine-conditions").description.startswith("What can go")
    # The site's own "Uncategorized" is WordPress's too: not a second one.
    assert Category.objects.filter(slug="uncategorized").count() == 1
    assert set(Tag.objects.values_list("slug", flat=True)) == {
        "posture",
        "exercise",
        "übungen",
        "walking",
    }
    assert set(article(10).tags.values_list("slug", flat=True)) == {"posture", "exercise"}
    assert article(10).category == sciatica
    assert article(11).author.slug == "samokafor"
    assert imported.counts["posts"]["created"] == 6


def test_post_published_near_midnight_keeps_its_old_permalink(client, imported):
    sciatica = article(10)
    # 23:30 in Chicago on the 12th is 04:30 UTC on the 13th: the old link has the 12th.
    assert sciatica.published_at == datetime.datetime(2023, 4, 13, 4, 30, tzinfo=datetime.UTC)
    assert sciatica.get_absolute_url() == "/2023/04/12/sciatica-why-your-leg-hurts/"
    response = client.get("/2023/04/12/sciatica-why-your-leg-hurts/")
    assert response.status_code == 200
    assert pages.text(response, "h1.entry-title").startswith("Sciatica: why your leg hurts")
    # Last modified in WordPress, not the moment of the import.
    assert sciatica.updated_at == datetime.datetime(2023, 6, 1, 14, 15, tzinfo=datetime.UTC)
    assert not imported.notes.get("dates")


def test_a_time_zone_other_than_the_old_blogs_is_reported(settings, db):
    settings.TIME_ZONE = "UTC"
    report = import_wordpress([EXPORT])
    assert "TIME_ZONE=UTC" in report.notes["dates"][0]


def test_draft_scheduled_and_password_protected_posts_stay_private(client, imported):
    draft = article(13)
    assert draft.status == Article.Status.DRAFT and draft.published_at is None
    assert draft.slug == "draft-epidural-injection-notes"
    scheduled = article(14)
    assert scheduled.status == Article.Status.PUBLISHED and scheduled.is_scheduled
    assert timezone.localtime(scheduled.published_at, CHICAGO).date() == datetime.date(2031, 1, 15)
    protected = article(15)
    assert protected.status == Article.Status.DRAFT
    assert any("had a password" in note for note in imported.notes["posts"])
    public = set(Article.objects.published().values_list("wp_id", flat=True))
    assert public == {10, 11, 12}
    home = client.get("/")
    for title in ("Draft: epidural", "Coming soon", "Support group"):
        assert pages.nowhere(home, title)
    assert client.get("/2031/01/15/five-desk-stretches/").status_code == 404


def test_trashed_posts_menu_items_and_pingbacks_are_skipped_with_reasons(imported):
    assert not Article.objects.filter(wp_id=19).exists()
    skipped = {(kind, reason): items for (kind, reason), items in imported.skipped.items()}
    assert skipped[("posts", "in WordPress's trash")] == ["19"]
    assert skipped[("comments", "a pingback or trackback, not a reader's comment")] == ["108"]
    assert ("comments", "on a page") not in skipped  # kept: pages take comments too
    assert skipped[("comments", "on a skipped item")] == ["130"]
    assert ("other items", "WordPress nav_menu_item items have no place here") in skipped
    assert not Comment.objects.filter(wp_id=108).exists()


def test_post_html_and_shortcodes_become_markdown_that_renders_the_same(imported):
    sciatica = article(10)
    html = BeautifulSoup(sciatica.body_html, "html.parser")
    assert html.find("strong").get_text() == "symptom"
    links = {a.get_text(): a["href"] for a in html.find_all("a") if a.get_text()}
    assert links["NINDS overview"] == (
        "https://www.ninds.nih.gov/health-information/disorders/sciatica"
    )
    # A link to another post of the old blog now points here.
    assert links["exercises for home"] == "/2023/05/02/ubungen/"
    # [caption]: a figure, the image with its caption.
    images = html.find_all("img")
    figure = html.find("figure")
    assert figure.find("img")["alt"] == "A plastic model of the lumbar spine"
    assert figure.find("figcaption").get_text() == (
        "The nerve roots leave the spine between the vertebrae"
    )
    # [gallery ids="41,42"]: a gallery of both images.
    assert [i["src"].rsplit("/", 1)[1] for i in images] == [
        "lumbar-model.png",
        "lumbar-model.png",
        "stretch.jpg",
    ]
    gallery = html.find("figure", class_="gallery")
    assert [i["src"].rsplit("/", 1)[1] for i in gallery.find_all("img")] == [
        "lumbar-model.png",
        "stretch.jpg",
    ]
    # [youtube=…] and an <iframe>: video cards linking to the videos, no player.
    cards = html.find_all("figure", class_="video-card")
    assert [card.a["href"] for card in cards] == [
        "https://www.youtube.com/watch?v=nErVeGl1d3s",
        "https://www.youtube.com/watch?v=Str3tch1ng9",
    ]
    assert "<iframe" not in sciatica.body_html
    assert html.find("h2").get_text().startswith("When to call us")
    assert [li.get_text() for li in html.find_all("li")] == [
        "Weakness in the leg or foot",
        "Numbness in the saddle area",
    ]
    assert html.find("em").get_text() == "saddle"
    # Paragraphs from blank lines, a line break from a single newline, text stays text.
    assert "Most people improve within six weeks." in html.find("p").get_text()
    assert html.find("p").find("br") is not None
    assert "5 < 6 & *stars* stay text; so does <script>." in html.get_text()
    assert sciatica.excerpt == "Why a problem in the lower back is felt in the leg."
    # Without --media-dir the images keep their old addresses, listed in the report.
    assert list(imported.external_images) == [
        "https://backstoryblog.example.com/wp-content/uploads/2023/04/lumbar-model.png",
        "https://backstoryblog.example.com/wp-content/uploads/2023/04/stretch.jpg",
    ]
    assert not sciatica.featured_image


def test_unicode_and_very_long_titles(client, imported):
    german = article(11)
    assert german.title == "Rückenschmerzen: Übungen für zu Hause"
    # WordPress's slug as it was: the same address, percent-encoded or not.
    assert german.slug == "übungen"
    assert german.get_absolute_url() == "/2023/05/02/%C3%BCbungen/"
    for address in (
        "/2023/05/02/%C3%BCbungen/",
        "/2023/05/02/%c3%bcbungen/",
        "/2023/05/02/übungen/",
    ):
        response = client.get(address)
        assert pages.text(response, "h1.entry-title") == "Rückenschmerzen: Übungen für zu Hause"
    assert not german.comments_open

    long = article(12)
    assert len(long.title) <= 250 and long.title.endswith("…")
    assert long.title.startswith("A very long title about lumbar spinal stenosis")
    assert len(long.slug) <= 200
    assert client.get(long.get_absolute_url()).status_code == 200


def test_comment_threads_statuses_and_details(imported):
    first, reply, second, deep = comment(101), comment(102), comment(103), comment(104)
    assert (first.level, reply.level, second.level) == (0, 1, 2)
    assert reply.parent_id == first.pk and second.parent_id == reply.pk
    # Four deep in WordPress, three allowed here: attached beside its parent, keeping its id.
    assert deep.level == 2 and deep.parent_id == reply.pk and deep.wp_parent_id == 103
    assert {c.thread_id for c in (first, reply, second, deep)} == {first.pk}
    assert [c.order for c in (first, reply, second, deep)] == [1, 2, 3, 4]
    assert first.nested_count == 3 and reply.nested_count == 2

    assert comment(105).status == Comment.Status.PENDING and not comment(105).is_public
    held_reply = comment(111)
    assert held_reply.status == Comment.Status.APPROVED and not held_reply.is_public
    assert comment(106).status == Comment.Status.SPAM and not comment(106).is_public
    binned = comment(110)
    assert binned.status == Comment.Status.REMOVED and binned.is_removed

    # Name, email, address, date (local time in TIME_ZONE) kept; the IP as its keyed hash only.
    assert first.user_name == "Priya N." and first.user_email == "priya@example.org"
    assert first.ip_address is None and first.ip_hash == ip_digest("198.51.100.23")
    assert first.submit_date == datetime.datetime(2023, 4, 13, 13, 15, tzinfo=datetime.UTC)
    assert reply.user_url == "https://practice.example.com/"
    assert deep.ip_hash == ip_digest("2001:db8::5")
    long = comment(109)
    assert len(long.user_name) <= 50 and long.user_name.startswith("Bartholomew")
    assert long.user_url == ""  # longer than the field: dropped rather than cut mid-address
    html_one = comment(107)
    assert html_one.user_name == "Jordan & Lee"
    assert html_one.ip_hash == "" and html_one.user_url == ""
    assert html_one.comment == (
        "We found these exercises (https://www.spine-health.example/sciatica-exercises) very "
        "useful.\n\nAlso https://example.org/guide\nsecond line"
    )
    assert '<a href="https://example.org/guide" rel="nofollow ugc noopener">' in (
        html_one.text_html
    )
    assert "<strong>" not in html_one.text_html


def test_imported_comments_sit_in_xtds_thread_order(imported):
    # What xtd itself would have computed, comment by comment.
    rows = list(Comment.objects.order_by("thread_id", "order").values_list("wp_id", "level"))
    assert rows == [
        (101, 0), (102, 1), (103, 2), (104, 2),
        (105, 0), (111, 1),
        (106, 0), (107, 0), (109, 0), (110, 0),
        (120, 0),  # on the page "About the practice"
    ]  # fmt: skip


def test_article_page_shows_the_threads_nested_and_counted(client, imported):
    sciatica = article(10)
    response = client.get(sciatica.get_absolute_url())
    page = BeautifulSoup(response.content, "html.parser")
    shown = page.select("li.comment")
    ids = {c.pk: c.wp_id for c in Comment.objects.all()}
    assert [ids[int(li["id"][1:])] for li in shown] == [101, 102, 103, 104, 107, 109]
    assert "6 comments on" in page.select_one("#comments-title").get_text()

    def parent_comment(wp_id):
        li = page.select_one(f"#c{comment(wp_id).pk}")
        enclosing = li.find_parent("li", class_="comment")
        return ids[int(enclosing["id"][1:])] if enclosing else None

    assert [parent_comment(n) for n in (101, 102, 103, 104, 107, 109)] == [
        None, 101, 102, 102, None, None,
    ]  # fmt: skip
    assert "depth-3" in page.select_one(f"#c{comment(104).pk}")["class"]
    text = page.select_one(".comment-list").get_text()
    for hidden in ("Waiting for moderation", "must stay hidden", "cheap pills", "Deleted by"):
        assert hidden not in text
    assert "Jordan & Lee" in pages.texts(page, ".comment-author")
    # The listing counts the same comments.
    assert "6 comments" in pages.texts(client.get("/"), ".summary .comment-count")


def test_pages_keep_their_slug_and_a_reserved_one_is_renamed(client, imported):
    about = Page.objects.get(wp_id=16)
    assert about.slug == "about" and about.is_published and about.menu_order == 1
    response = client.get("/about/")
    assert "Two surgeons and a physiotherapist." in pages.text(response, "main")
    feed = Page.objects.get(wp_id=17)
    assert feed.slug == "feed-page"
    assert any("/feed/" in note for note in imported.notes["pages"])


def test_featured_and_inline_images_are_copied_from_media_dir(settings, uploads):
    report = import_wordpress([EXPORT], media_dir=uploads)
    sciatica = article(10)
    assert sciatica.featured_image.name == "imported/2023/04/lumbar-model.png"
    assert sciatica.featured_image_alt == "A plastic model of the lumbar spine"
    assert (sciatica.featured_image_width, sciatica.featured_image_height) == (30, 20)
    assert (settings.MEDIA_ROOT / "imported/2023/04/lumbar-model.png").is_file()
    images = BeautifulSoup(sciatica.body_html, "html.parser").find_all("img")
    assert images[0]["src"] == "/media/imported/2023/04/lumbar-model.png"
    # The one image missing from the uploads copy keeps its address and is reported.
    assert list(report.external_images) == [
        "https://backstoryblog.example.com/wp-content/uploads/2023/04/stretch.jpg"
    ]
    assert report.notes["images"] == ["not in --media-dir: 2023/04/stretch.jpg"]
    assert WordPressAttachment.objects.get(wp_id=41).url == (
        "/media/imported/2023/04/lumbar-model.png"
    )


def test_importing_twice_leaves_the_same_rows(settings, uploads):
    first = import_wordpress([EXPORT], media_dir=uploads)
    before = row_counts()
    files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    second = import_wordpress([EXPORT], media_dir=uploads)
    assert row_counts() == before
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files
    assert first.counts["posts"]["created"] == 6
    for kind in ("authors", "categories", "tags", "posts", "pages", "comments", "attachments"):
        assert not second.counts[kind]["created"], kind
        assert not second.counts[kind]["updated"], kind


def test_a_second_import_updates_what_changed(tmp_path, imported):
    changed = (
        export_text()
        .replace("Most people improve within six weeks.", "Most people improve within weeks.")
        .replace(
            "Thank you! I walked twice today and it was easier.",
            "Thank you! Walking twice a day made it easier.",
        )
        .replace(
            "<wp:comment_approved><![CDATA[0]]></wp:comment_approved>",
            "<wp:comment_approved><![CDATA[1]]></wp:comment_approved>",
        )
    )
    report = import_wordpress([write_export(tmp_path, changed)])
    assert report.counts["posts"]["updated"] == 1
    assert report.counts["comments"]["updated"] == 2
    assert "within weeks" in article(10).body_html
    assert comment(103).comment.startswith("Thank you! Walking")
    # Approved in WordPress since: it and the approved reply below it are shown now.
    assert comment(105).is_public and comment(111).is_public
    assert Comment.objects.count() == 11


def test_dry_run_writes_nothing(settings, uploads):
    before = row_counts()
    report = import_wordpress([EXPORT], media_dir=uploads, dry_run=True)
    assert row_counts() == before
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.png"))
    assert report.counts["posts"]["created"] == 6
    assert report.counts["comments"]["created"] == 11
    assert next(report.lines()).startswith("Dry run: nothing was saved")


def test_a_wxr_1_1_export_imports_the_same(tmp_path, db):
    older = export_text().replace("wordpress.org/export/1.2/", "wordpress.org/export/1.1/")
    report = import_wordpress([write_export(tmp_path, older)])
    assert report.counts["posts"]["created"] == 6
    assert report.counts["comments"]["created"] == 11
    assert Category.objects.get(slug="sciatica").parent.slug == "spine-conditions"


def test_wordpress_com_zip_of_exports(tmp_path, db):
    import zipfile

    archive = tmp_path / "backstory.wordpress.2024-01-01.000.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("backstory.wordpress.2024-01-01.000.xml", export_text())
    report = import_wordpress([archive])
    assert report.counts["posts"]["created"] == 6


def test_create_users_gives_authors_staff_accounts_without_passwords(db):
    from django.contrib.auth.models import User

    import_wordpress([EXPORT], create_users=True)
    maya = User.objects.get(username="drmaya")
    assert maya.is_staff and not maya.has_usable_password()
    assert maya.email == "maya@practice.example.com"
    assert list(maya.groups.values_list("name", flat=True)) == ["Authors"]
    assert Author.objects.get(slug="drmaya").user == maya
    # The author's own reply is marked as hers.
    assert comment(102).user == maya


def test_old_slugs_from_wordpress_redirect(client, imported):
    assert ArticleRedirect.objects.filter(slug="leg-pain-explained").exists()
    response = client.get("/2023/04/12/leg-pain-explained/")
    assert response.status_code == 301
    assert response["Location"] == "/2023/04/12/sciatica-why-your-leg-hurts/"


@pytest.mark.parametrize(
    ("local", "utc", "expected"),
    [
        # Clocks went back at 02:00 on 5 November 2023: 01:30 happened twice.
        ("2023-11-05 01:30:00", "2023-11-05 06:30:00", "2023-11-05 06:30"),
        ("2023-11-05 01:30:00", "2023-11-05 07:30:00", "2023-11-05 07:30"),
        ("2023-11-05 01:30:00", "0000-00-00 00:00:00", "2023-11-05 06:30"),
        # Clocks went forward at 02:00 on 12 March 2023: 02:30 never happened; same day still.
        ("2023-03-12 02:30:00", "0000-00-00 00:00:00", "2023-03-12 08:30"),
        ("0000-00-00 00:00:00", "2023-03-12 08:30:00", "2023-03-12 08:30"),
    ],
)
def test_local_times_around_daylight_saving_changes(db, local, utc, expected):
    from wordpress.importer import Importer, Site
    from wordpress.report import Report

    importer = Importer(Site(), Report(), media=None)
    aware = importer.local_datetime(local, utc)
    assert aware.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M") == expected
    if not local.startswith("0000"):
        assert timezone.localtime(aware, CHICAGO).date().isoformat() == local[:10]


def test_authors_and_categories_staff_made_before_the_import_are_reused(db):
    from tests.factories import AuthorFactory, CategoryFactory

    maya = AuthorFactory(name="Maya Lindqvist", credentials="MD, FAAOS", slug="drmaya")
    sciatica = CategoryFactory(name="Sciatica", slug="sciatica")
    import_wordpress([EXPORT])
    import_wordpress([EXPORT])
    maya.refresh_from_db()
    assert maya.wp_id == 2 and maya.byline == "Maya Lindqvist, MD, FAAOS"
    assert Author.objects.count() == 2
    assert article(10).author == maya
    sciatica.refresh_from_db()
    assert sciatica.wp_id == 6 and sciatica.parent.slug == "spine-conditions"
    assert Category.objects.filter(slug__startswith="sciatica").count() == 1
