"""Nothing lost in the move (issue 13): every category of a post, the page hierarchy, Unicode
slugs, sticky posts and the old blog's other addresses, on an export of our own
(fixtures/moving-clinic.xml)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from articles.models import Article, Category, Page, PageRedirect, Tag
from tests.pages import select, text, texts
from wordpress.importer import import_wordpress

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db
EXPORT = FIXTURES / "moving-clinic.xml"
GREEK_POST = "/2024/01/10/ασκήσεις-για-τη-μέση/"
SURGERY_DAY = "/2024/03/05/"


@pytest.fixture
def moved(db):
    return import_wordpress([EXPORT])


def article(wp_id):
    return Article.objects.get(wp_id=wp_id)


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return texts(response, ".summary .entry-title")


def test_a_post_keeps_every_category_and_one_primary(client, moved):
    two = article(101)
    # Yoast's primary category, when WordPress had one; else the first that is not Uncategorized.
    assert two.category.slug == "surgery"
    assert {c.slug for c in two.categories.all()} == {"spine-care", "surgery"}
    french = article(103)
    assert french.category.slug == "récupération"
    assert {c.slug for c in french.categories.all()} == {"récupération", "surgery", "uncategorized"}
    # The breadcrumb is the primary category's; "Posted in" names them all, the primary first.
    page = client.get(two.get_absolute_url())
    assert texts(page, "nav.breadcrumb a") == ["Home", "Surgery"]
    assert text(page, ".entry-category") == "Posted in Surgery, Spine care"
    # Every archive and feed it is filed under lists it.
    surgery = ["Étirements doux après la chirurgie", "Before and after a microdiscectomy"]
    assert listed(client, "/category/surgery/") == surgery
    assert listed(client, "/category/spine-care/") == [
        "Before and after a microdiscectomy",
        "Ασκήσεις για τη μέση",
    ]
    feed = client.get("/category/surgery/feed/").content.decode()
    assert all(title in feed for title in surgery)
    assert "<category>Spine care</category>" in feed  # its other category, after the primary
    # The sidebar counts each article once in each of its categories.
    counts = {c.slug: c.public_count for c in client.get("/").context["blog"].categories}
    assert counts == {
        "spine-care": 2, "surgery": 2, "ελληνικά": 1, "récupération": 1, "uncategorized": 2,
    }  # fmt: skip


def test_the_sticky_post_is_pinned_to_the_top_of_home(client, moved):
    assert [a.wp_id for a in Article.objects.filter(is_sticky=True)] == [102]
    assert listed(client, "/") == [
        "Ασκήσεις για τη μέση",  # the oldest, but sticky
        "Clinic news for April",
        "Étirements doux après la chirurgie",
        "Before and after a microdiscectomy",
    ]
    # Archives keep their order: newest first.
    assert listed(client, "/category/spine-care/")[0] == "Before and after a microdiscectomy"


def test_pages_keep_their_hierarchy_at_any_depth(client, moved):
    addresses = {page.wp_id: page.get_absolute_url() for page in Page.objects.all()}
    assert addresses == {
        201: "/the-clinic/",
        202: "/the-clinic/our-team/",
        203: "/the-clinic/our-team/dr-papadaki/",  # before its parents in the export
        204: "/the-clinic/" + quote("συχνές-ερωτήσεις") + "/",
    }
    for url in (
        "/the-clinic/our-team/dr-papadaki/",
        "/the-clinic/συχνές-ερωτήσεις/",
        "/the-clinic/%CF%83%CF%85%CF%87%CE%BD%CE%AD%CF%82-%CE%B5%CF%81%CF%89%CF%84%CE%AE%CF%83%CE%B5%CE%B9%CF%82/",
    ):
        assert client.get(url).status_code == 200, url
    # A subpage's breadcrumb names the pages above it.
    crumbs = texts(client.get("/the-clinic/our-team/dr-papadaki/"), "nav.breadcrumb li")
    assert crumbs == ["Home »", "The clinic »", "Our team »", "Dr. Papadaki"]
    # A fresh import leaves no redirects from addresses nobody ever had.
    assert not PageRedirect.objects.exists()
    # As WordPress does, the bare slug of a subpage leads to it; a wrong parent does not.
    response = client.get("/dr-papadaki/")
    assert response.status_code == 301 and response["Location"] == addresses[203]
    assert client.get("/our-team/dr-papadaki/").status_code == 404
    # Only top-level pages are in the header's menu.
    assert texts(client.get("/the-clinic/"), "header nav a[href='/the-clinic/']")
    assert not texts(client.get("/the-clinic/"), "header nav a[href='/the-clinic/our-team/']")


def test_a_second_import_changes_nothing(moved):
    again = import_wordpress([EXPORT])
    assert again.counts["pages"] == {"unchanged": 4}
    assert again.counts["posts"] == {"unchanged": 4}
    assert not PageRedirect.objects.exists()


def test_unicode_slugs_answer_as_they_did(client, moved):
    greek = article(102)
    assert greek.slug == "ασκήσεις-για-τη-μέση"
    for url in (GREEK_POST, quote(GREEK_POST), quote(GREEK_POST).lower()):
        assert text(client.get(url), "h1.entry-title") == "Ασκήσεις για τη μέση", url
    assert Category.objects.filter(slug="ελληνικά").exists()
    for url in ("/category/ελληνικά/", quote("/category/ελληνικά/")):
        assert listed(client, url) == ["Ασκήσεις για τη μέση"]
    assert listed(client, "/tag/ασκήσεις/") == ["Ασκήσεις για τη μέση"]
    feed = client.get(quote("/tag/ασκήσεις/feed/"))
    assert feed.status_code == 200 and "Ασκήσεις για τη μέση" in feed.content.decode()
    assert client.get("/tag/ασκήσεις/feed/atom/").status_code == 200
    assert article(103).slug == "étirements-doux"


def test_staff_renaming_a_slug_keeps_the_old_address(client, moved):
    greek = Category.objects.get(slug="ελληνικά")
    greek.slug = "greek"
    greek.save()
    for old, new in (
        ("/category/ελληνικά/", "/category/greek/"),
        ("/category/ελληνικά/feed/", "/category/greek/feed/"),
        (quote("/category/ελληνικά/page/1/"), "/category/greek/page/1/"),
        ("/?cat=ελληνικά", "/category/greek/"),
    ):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
    tag = Tag.objects.get(slug="walking")
    tag.slug = "walks"
    tag.save()
    assert client.get("/tag/walking/")["Location"] == "/tag/walks/"
    # Back to the old slug: the address is the category's own again, not a redirect.
    greek.slug = "ελληνικά"
    greek.save()
    assert client.get("/category/ελληνικά/").status_code == 200
    assert client.get("/category/greek/")["Location"] == quote("/category/ελληνικά/")


def test_moving_a_page_keeps_its_old_addresses_and_its_subpages(client, moved):
    team = Page.objects.get(wp_id=202)
    team.parent = None
    team.slug = "team"
    team.save()
    assert Page.objects.get(wp_id=203).get_absolute_url() == "/team/dr-papadaki/"
    for old, new in (
        ("/the-clinic/our-team/", "/team/"),
        ("/the-clinic/our-team/dr-papadaki/", "/team/dr-papadaki/"),
    ):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == new
    assert client.get("/team/dr-papadaki/").status_code == 200


def test_a_page_cannot_go_below_itself_nor_take_a_reserved_first_segment(moved):
    from django.core.exceptions import ValidationError

    clinic = Page.objects.get(wp_id=201)
    clinic.parent = Page.objects.get(wp_id=203)
    with pytest.raises(ValidationError, match="below itself"):
        clinic.full_clean()
    with pytest.raises(ValidationError, match="reserved"):
        Page(title="Feed", slug="feed", body="x").full_clean()
    with pytest.raises(ValidationError, match="already"):
        Page(title="Twin", slug="our-team", parent=clinic, body="x").full_clean()


def test_day_archives(client, moved):
    assert listed(client, SURGERY_DAY) == [
        "Étirements doux après la chirurgie",
        "Before and after a microdiscectomy",
    ]
    assert text(client.get(SURGERY_DAY), "h1") == "Archives: March 5, 2024"
    assert client.get("/2024/02/30/").status_code == 404
    assert client.get("/2024/00/").status_code == 404


# One import for all of them: each case is a request, not a database.
QUERY_LINKS = [
    ("/?feed=rss2", "/feed/"),
    ("/?feed=rss", "/feed/"),
    ("/?feed=atom", "/feed/atom/"),
    ("/?feed=comments-rss2", "/comments/feed/"),
    ("/?m=2024", "/2024/"),
    ("/?m=202403", "/2024/03/"),
    ("/?m=20240305", "/2024/03/05/"),
    ("/?m=20240305093000", "/2024/03/05/"),
    ("/?tag=walking", "/tag/walking/"),
    ("/?tag=" + quote("ασκήσεις"), quote("/tag/ασκήσεις/")),
    ("/?cat=surgery", "/category/surgery/"),
    ("/?cat=32", "/category/surgery/"),
    ("/?category_name=spine-care/surgery", "/category/surgery/"),
    ("/?cat=spine-care&feed=rss2", "/category/spine-care/feed/"),
    ("/?tag=walking&feed=atom", "/tag/walking/feed/atom/"),
]
NOWHERE = ["/?m=202413", "/?m=20240230", "/?m=24", "/?tag=nothing", "/?cat=nothing", "/?feed=x"]


def test_the_old_blogs_query_links_answer_with_a_301_or_404(client, moved):
    for old, new in QUERY_LINKS:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    for old in NOWHERE:
        assert client.get(old).status_code == 404, old
    # A search's feed is not built: the search answers.
    assert client.get("/?s=surgery&feed=rss2").status_code == 200


def test_the_admin_files_an_article_under_several_categories_and_pins_it(editor_client):
    from tests.articles.test_admin import article_form
    from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

    author = AuthorFactory()
    primary, other, third = CategoryFactory(), CategoryFactory(), CategoryFactory()
    form = editor_client.get("/admin/articles/article/add/")
    # A checkbox per category, as in WordPress, and the primary one chosen from a list.
    assert len(select(form, "#id_categories input[type=checkbox]")) == Category.objects.count()
    assert select(form, "select#id_category")
    response = editor_client.post(
        "/admin/articles/article/add/",
        article_form(author, primary, categories=[other.pk], _draft="Save draft"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Article.objects.get()
    # The primary category is one of its categories even when its box was left unticked.
    assert set(saved.categories.all()) == {primary, other}
    assert third not in saved.categories.all()

    older = ArticleFactory(
        title="An older article", published_at=timezone.now() - timedelta(days=9)
    )
    ArticleFactory(title="A newer article")
    response = editor_client.post(
        "/admin/articles/article/", {"action": "pin", "_selected_action": [older.pk], "index": 0}
    )
    assert response.status_code == 302
    older.refresh_from_db()
    assert older.is_sticky
    editor_client.logout()
    assert listed(editor_client, "/")[0] == "An older article"
