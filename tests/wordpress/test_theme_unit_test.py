"""WordPress's own theme unit test export (fixtures/themeunittestdata.wordpress.xml, from
github.com/WPTT/theme-unit-test, GPL-2.0, used unchanged): what each category lists and which
page answers at which address, held against what the export itself says.

The expectations are read from the export here, independently of the importer (ElementTree, not
wordpress.wxr), so the test checks the import rather than repeating it.
"""

import datetime
import xml.etree.ElementTree as ET
from collections import defaultdict
from urllib.parse import unquote, urlsplit

import pytest
from django.utils import timezone

from articles.models import Article, Category, Page
from tests.pages import texts
from wordpress.importer import import_wordpress

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db
EXPORT = FIXTURES / "themeunittestdata.wordpress.xml"
WP = "{https://wordpress.org/export/1.2/}"


def what_the_export_says():
    """(public post ids by category nicename, page address by page id, sticky post ids)."""
    by_category, page_paths, sticky = defaultdict(set), {}, set()
    now = timezone.localtime().replace(tzinfo=None)
    for item in ET.parse(EXPORT).getroot().iter("item"):
        kind, status = item.findtext(f"{WP}post_type"), item.findtext(f"{WP}status")
        wp_id = int(item.findtext(f"{WP}post_id"))
        public = status in {"publish", "future"} and not item.findtext(f"{WP}post_password")
        if kind == "page" and public and status == "publish":
            # WordPress's own address of the page, decoded as a browser shows it.
            path = "/".join(
                s for s in unquote(urlsplit(item.findtext("link")).path).split("/") if s
            )
            page_paths[wp_id] = f"/{path}/"
        if kind != "post" or not public:
            continue
        date = datetime.datetime.strptime(item.findtext(f"{WP}post_date"), "%Y-%m-%d %H:%M:%S")
        if date > now:
            continue  # scheduled: not public yet
        nicenames = [
            unquote(t.get("nicename"))
            for t in item.iter("category")
            if t.get("domain") == "category"
        ]
        # WordPress files a post without a category under its default one.
        for nicename in nicenames or ["uncategorized"]:
            by_category[nicename].add(wp_id)
        if item.findtext(f"{WP}is_sticky") == "1":
            sticky.add(wp_id)
    return by_category, page_paths, sticky


def test_the_theme_unit_test_export_arrives_whole(client):
    by_category, page_paths, sticky = what_the_export_says()
    import_wordpress([EXPORT])

    # Post 1152 is in 65 categories; each of their archives lists it.
    assert len([c for c, posts in by_category.items() if 1152 in posts]) > 60
    public = Article.objects.published()
    for nicename, expected in by_category.items():
        category = Category.objects.get(slug=nicename)
        assert set(public.filed_under(category).values_list("wp_id", flat=True)) == expected, (
            nicename
        )
    # The archive page itself (the view's query, first page of ten) and the sidebar's count.
    classic = Category.objects.get(slug="classic")
    assert len(listed := texts(client.get(classic.get_absolute_url()), ".summary")) == min(
        10, len(by_category["classic"])
    ), listed
    counts = {c.slug: c.public_count for c in client.get("/").context["blog"].categories}
    assert counts == {slug: len(posts) for slug, posts in by_category.items()}

    # Every page at WordPress's address, nested as it was; Greek slugs as they were.
    assert {p.wp_id: unquote(p.get_absolute_url()) for p in Page.objects.published()} == page_paths
    assert "/greek/επίπεδο-2/επίπεδο-3/" in page_paths.values()
    for path in ("/level-1/level-2/level-3/", "/greek/επίπεδο-2/επίπεδο-3/", "/about/"):
        assert client.get(path).status_code == 200, path

    # The sticky post leads the home page.
    assert set(Article.objects.filter(is_sticky=True).values_list("wp_id", flat=True)) == sticky
    first = Article.objects.get(wp_id=min(sticky))
    assert texts(client.get("/"), ".summary .entry-title")[0] == first.title
