"""Site settings: one row, edited in the admin, read by every page."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from articles.models import SiteSettings
from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db
ADMIN_URL = "/admin/articles/sitesettings/"


def test_the_admin_index_leads_straight_to_the_one_form(editor_client):
    index = BeautifulSoup(editor_client.get("/admin/").content, "html.parser")
    link = index.find("a", string="Site settings")
    assert link["href"] == ADMIN_URL
    page = BeautifulSoup(editor_client.get(ADMIN_URL).content, "html.parser")
    assert page.find("input", attrs={"name": "name"})["value"] == "The Back Story"


def test_an_editor_changes_the_blog_name_and_every_page_shows_it(editor_client, client):
    author = AuthorFactory(name="Dr. Featured", x_handle="featured_doc")
    response = editor_client.post(
        ADMIN_URL,
        {
            "name": "Spine Notes",
            "tagline": "Short answers",
            "featured_author": author.pk,
            "links": "- [Our practice](https://example.org/)",
        },
    )
    assert response.status_code == 302
    assert list(SiteSettings.objects.values_list("pk", "name")) == [(1, "Spine Notes")]
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert "Spine Notes" in page.title.string
    assert page.find("a", href="https://example.org/").string == "Our practice"
    assert page.find("a", href="https://x.com/featured_doc")


def test_there_is_nothing_to_add_or_delete(editor_client):
    assert editor_client.get(f"{ADMIN_URL}add/").status_code == 403
    assert editor_client.get(f"{ADMIN_URL}1/delete/").status_code == 403
    assert SiteSettings.objects.count() == 1


def test_a_second_row_cannot_exist():
    SiteSettings(name="Another blog").save()
    assert list(SiteSettings.objects.values_list("pk", "name")) == [(1, "Another blog")]


def test_load_reads_the_row_and_its_featured_author_in_one_query(django_assert_num_queries):
    row = SiteSettings.load()
    row.featured_author = AuthorFactory(name="Dr. Shown")
    row.save()
    with django_assert_num_queries(1):
        assert SiteSettings.load().featured_author.name == "Dr. Shown"


def test_without_its_row_the_blog_starts_again_from_the_defaults(client):
    SiteSettings.objects.all().delete()
    assert client.get("/").status_code == 200
    assert list(SiteSettings.objects.values_list("pk", "name")) == [(1, "The Back Story")]


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_has_its_site_settings_before_any_page_is_asked_for():
    # Were the first page to make the row, saving it would retire that page as it was cached
    # (and the tests' transactional cases flush the database after each test).
    call_command("flush", interactive=False, verbosity=0)
    assert SiteSettings.objects.count() == 1
