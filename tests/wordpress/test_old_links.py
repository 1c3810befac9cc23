import pytest
from django.urls import Resolver404, resolve

from articles.models import Page
from tests.pages import text

pytestmark = pytest.mark.django_db
SCIATICA = "/2023/04/12/sciatica-why-your-leg-hurts/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=10", SCIATICA),
        ("/?p=10&preview=true", SCIATICA),
        ("/?p=16", "/about/"),  # WordPress answers ?p= for pages too
        ("/?page_id=16", "/about/"),
        ("/?attachment_id=41", SCIATICA),
        ("/?p=41", SCIATICA),
        ("/?cat=6", "/category/sciatica/"),
        ("/?author=3", "/author/samokafor/"),
        (SCIATICA + "lumbar-model/", SCIATICA),
        (SCIATICA + "amp/", SCIATICA),
        (SCIATICA + "2/", SCIATICA),
        ("/2023/04/12/leg-pain-explained/amp/", SCIATICA),
        ("/category/spine-conditions/sciatica/", "/category/sciatica/"),
        ("/category/spine-conditions/sciatica/herniated-disc/", "/category/herniated-disc/"),
    ],
)
def test_old_wordpress_links_answer_with_a_301(client, imported, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.parametrize(
    "old",
    [
        "/?p=13",  # a draft
        "/?p=14",  # scheduled: not public yet
        "/?p=15",  # password-protected in WordPress
        "/?p=19",  # trashed, never imported
        "/?p=99999",
        "/?p=abc",
        "/?page_id=10",  # a post, not a page
        "/?cat=999",
        SCIATICA + "no-such-attachment/",
        "/2031/01/15/five-desk-stretches/amp/",
        "/category/recovery/sciatica/",  # not its parent
        "/category/sciatica/herniated-disc/extra/",
    ],
)
def test_only_public_things_redirect(client, imported, old):
    assert client.get(old).status_code == 404


def test_an_unattached_file_redirects_to_the_file(client, imported):
    response = client.get("/?attachment_id=43")
    assert response.status_code == 301
    assert response["Location"] == (
        "https://backstoryblog.example.com/wp-content/uploads/2022/01/intake-form.pdf"
    )


def test_an_unpublished_page_answers_404(client, imported):
    Page.objects.filter(wp_id=16).update(is_published=False)
    assert client.get("/?page_id=16").status_code == 404


def test_category_and_tag_addresses_are_wordpresss(client, imported):
    assert client.get("/category/sciatica/").status_code == 200
    assert client.get("/tag/posture/").status_code == 200
    assert client.get("/author/drmaya/").status_code == 200


def test_search_still_works_beside_the_old_links(client, imported):
    response = client.get("/?s=sciatica")
    assert response.status_code == 200
    assert "Sciatica: why your leg hurts" in text(response, ".summary .entry-title")


@pytest.mark.parametrize(
    "path", [SCIATICA + "feed/", "/category/sciatica/feed/", "/category/sciatica/page/2/"]
)
def test_feeds_and_archive_pages_are_not_taken_by_the_redirects(path):
    # <article URL>feed/ and /category/<slug>/feed/ are feeds in the contract, not old links.
    try:
        match = resolve(path)
    except Resolver404:
        return
    assert match.url_name not in {"post-suffix", "category-path"}


def test_a_site_that_imported_nothing_answers_404(client, db):
    assert client.get("/?p=1").status_code == 404
    assert client.get("/?attachment_id=1").status_code == 404


def test_old_query_links_answer_past_the_page_cache_and_are_never_stored(
    client, imported, settings
):
    settings.PAGE_CACHE = True
    for _ in range(2):
        response = client.get("/?p=10")
        assert response.status_code == 301 and response["Location"] == SCIATICA
        assert "X-Page-Cache" not in response
    assert client.head("/?p=10")["Location"] == SCIATICA
    assert client.get("/?p=13").status_code == 404  # a draft, cached or not
    home = client.get("/")
    assert home.status_code == 200 and home["X-Page-Cache"] == "miss"


def test_query_links_belong_to_the_home_page_only(client, imported):
    assert client.get("/page/2/?p=10")["Location"] == SCIATICA  # the home page's own pages
    category = client.get("/category/sciatica/?p=10")
    assert category.status_code == 200
    assert client.post("/?p=10").status_code == 405
