import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from tests.articles.feed_checks import SITEMAP, parse_strict
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory

pytestmark = pytest.mark.django_db


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = parse_strict(response.content)
    assert root.tag == f"{{{SITEMAP}}}urlset"
    urls = {}
    for url in root:
        assert url.tag == f"{{{SITEMAP}}}url"
        assert {child.tag for child in url} <= {f"{{{SITEMAP}}}loc", f"{{{SITEMAP}}}lastmod"}
        loc = url.findtext(f"{{{SITEMAP}}}loc")
        assert loc.startswith(settings.SITE_URL + "/"), loc
        assert loc not in urls, f"{loc} listed twice"
        lastmod = url.findtext(f"{{{SITEMAP}}}lastmod")
        urls[loc.removeprefix(settings.SITE_URL)] = (
            datetime.date.fromisoformat(lastmod) if lastmod else None
        )
    return urls


def test_the_sitemap_lists_public_articles_pages_categories_and_authors_only(client):
    author, category = AuthorFactory(), CategoryFactory()
    public = ArticleFactory(author=author, category=category)
    hidden_author, hidden_category = AuthorFactory(), CategoryFactory()
    draft = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, author=hidden_author,
        category=hidden_category,
    )  # fmt: skip
    scheduled = ArticleFactory(
        published_at=timezone.now() + datetime.timedelta(days=1), author=hidden_author,
        category=hidden_category,
    )  # fmt: skip
    page = PageFactory(slug="about")
    PageFactory(slug="hidden", is_published=False)

    urls = sitemap_urls(client)
    assert set(urls) == {
        "/",
        public.get_absolute_url(),
        page.get_absolute_url(),
        category.get_absolute_url(),
        author.get_absolute_url(),
    }
    for hidden in (draft, scheduled):
        assert hidden.get_absolute_url() not in urls
    assert urls[public.get_absolute_url()] == timezone.localdate(public.last_modified)
    assert urls[category.get_absolute_url()] == timezone.localdate(public.last_modified)
    assert urls[author.get_absolute_url()] == timezone.localdate(public.last_modified)
    assert urls["/"] == timezone.localdate(public.last_modified)


def test_an_edited_article_gets_a_later_lastmod(client):
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=40))
    article.body += "\n\nA new paragraph."
    article.save()
    urls = sitemap_urls(client)
    assert urls[article.get_absolute_url()] == timezone.localdate()


def test_robots_txt_points_at_the_sitemap_and_keeps_admin_and_previews_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
