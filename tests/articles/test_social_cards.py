"""Canonical links, Open Graph and Twitter cards, and the article's schema.org JSON-LD."""

import datetime
import json

import factory
import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PageFactory, TagFactory
from tests.pages import attrs, nowhere, one

pytestmark = pytest.mark.django_db


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return one(response, "head")


def meta(head, key):
    """The content of every <meta property|name=key> in the head, in order."""
    return [
        m.get("content") for m in head.select("meta") if key in (m.get("property"), m.get("name"))
    ]


def canonical(head):
    return attrs(head, 'link[rel~="canonical"]', "href")


def json_ld(head):
    scripts = head.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.fixture
def pictured():
    return ArticleFactory(
        title="Walking after surgery",
        excerpt="How far, how soon.",
        author=AuthorFactory(name="Maya Lindqvist", credentials="MD", x_handle="DrMaya"),
        category=CategoryFactory(name="Recovery"),
        featured_image=factory.django.ImageField(
            filename="walk.jpg", format="JPEG", width=1200, height=630
        ),
        featured_image_alt="A path through a park",
    )


def test_an_article_has_a_canonical_link_open_graph_and_a_large_twitter_card(client, pictured):
    pictured.tags.add(TagFactory(name="walking"))
    html = head(client, pictured.get_absolute_url())
    url = settings.SITE_URL + pictured.get_absolute_url()
    assert canonical(html) == [url]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Walking after surgery"]
    assert meta(html, "og:description") == ["How far, how soon."]
    assert meta(html, "og:url") == [url]
    assert meta(html, "og:image") == [settings.SITE_URL + pictured.featured_image.url]
    assert meta(html, "og:image:width") == ["1200"]
    assert meta(html, "og:image:alt") == ["A path through a park"]
    assert meta(html, "article:published_time") == [
        timezone.localtime(pictured.published_at).isoformat()
    ]
    assert meta(html, "article:author") == [f"{settings.SITE_URL}/author/{pictured.author.slug}/"]
    assert meta(html, "article:section") == ["Recovery"]
    assert meta(html, "article:tag") == ["walking"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "twitter:creator") == ["@DrMaya"]


def test_an_article_without_a_picture_gets_a_summary_card(client):
    html = head(client, ArticleFactory().get_absolute_url())
    assert meta(html, "twitter:card") == ["summary"]
    assert meta(html, "og:image") == []


def test_the_json_ld_of_an_article_is_a_blog_posting(client, pictured):
    pictured.tags.add(TagFactory(name="walking"))
    data = json_ld(head(client, pictured.get_absolute_url()))
    url = settings.SITE_URL + pictured.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Walking after surgery"
    assert data["description"] == "How far, how soon."
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert datetime.datetime.fromisoformat(data["datePublished"]) == pictured.published_at.replace(
        microsecond=0
    )
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= datetime.datetime.fromisoformat(
        data["datePublished"]
    )
    assert data["author"] == {
        "@type": "Person",
        "name": "Maya Lindqvist",
        "url": f"{settings.SITE_URL}/author/{pictured.author.slug}/",
        "honorificSuffix": "MD",
        "sameAs": ["https://x.com/DrMaya"],
    }
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "The Back Story",
        "url": settings.SITE_URL + "/",
    }
    assert data["image"] == {
        "@type": "ImageObject",
        "url": settings.SITE_URL + pictured.featured_image.url,
        "width": 1200,
        "height": 630,
    }
    assert data["keywords"] == ["walking"]
    assert data["articleSection"] == "Recovery"
    assert "reviewedBy" not in json.dumps(data)


def test_a_reviewed_article_is_a_medical_web_page_with_the_posting_as_main_entity(client):
    reviewer = AuthorFactory(name="Samuel Okafor", credentials="DO", website="https://example.org/")
    article = ArticleFactory(
        title="Epidural injections", reviewed_by=reviewer, last_reviewed=datetime.date(2026, 5, 1)
    )
    data = json_ld(head(client, article.get_absolute_url()))
    url = settings.SITE_URL + article.get_absolute_url()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["@id"] == data["url"] == url
    assert data["reviewedBy"] == {
        "@type": "Person",
        "name": "Samuel Okafor",
        "url": f"{settings.SITE_URL}/author/{reviewer.slug}/",
        "honorificSuffix": "DO",
        "sameAs": ["https://example.org/"],
    }
    assert data["lastReviewed"] == "2026-05-01"
    posting = data["mainEntity"]
    assert posting["@type"] == "BlogPosting"
    assert posting["headline"] == "Epidural injections"
    assert posting["mainEntityOfPage"] == {"@id": url}
    assert posting["author"]["name"] == article.author.name
    assert "reviewedBy" not in posting and "@context" not in posting


def test_json_ld_cannot_close_its_script_element(client):
    title = "Back pain </script><script>alert('x')</script> & more"
    article = ArticleFactory(title=title, excerpt="<!-- a comment --> </SCRIPT>")
    response = client.get(article.get_absolute_url())
    # In the source itself, nothing from the JSON may end its script or open a comment.
    source = response.content.decode().split("</head>")[0]
    assert "<script>alert" not in source
    assert "</SCRIPT>" not in source and "<!--" not in source
    html = one(response, "head")
    assert not [
        s
        for s in html.select("script:not([type='application/ld+json'])")
        if "alert" in s.get_text()
    ]
    data = json_ld(html)
    assert data["headline"] == title
    assert data["description"] == "<!-- a comment --> </SCRIPT>"


def test_other_pages_have_a_canonical_link_and_basic_open_graph(client):
    article = ArticleFactory(category=CategoryFactory(name="Recovery", slug="recovery"))
    PageFactory(title="About the practice", slug="about")
    ArticleFactory.create_batch(10)
    for url, title in [
        ("/", "The Back Story"),
        ("/page/2/", "The Back Story"),
        ("/category/recovery/", "Category: Recovery"),
        (article.author.get_absolute_url(), article.author.byline),
        ("/about/", "About the practice"),
    ]:
        html = head(client, url)
        assert canonical(html) == [f"{settings.SITE_URL}{url}"], url
        assert meta(html, "og:type") == ["website"], url
        assert meta(html, "og:title") == [title], url
        assert meta(html, "og:url") == [settings.SITE_URL + url], url
        assert meta(html, "og:site_name") == ["The Back Story"], url
        # Only the home page describes the practice (MedicalClinic); no listing is an article.
        assert nowhere(html, "application/ld+json") == (url != "/"), url


def test_previews_and_missing_pages_claim_no_canonical_address(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    html = head(editor_client, f"/preview/{draft.pk}/")
    assert not canonical(html) and nowhere(html, "application/ld+json")
    assert meta(html, "robots") == ["noindex, nofollow"]
    missing = one(editor_client.get("/no-such-page/"), "head")
    assert not missing.select('[rel~="canonical"]')


def test_a_meta_description_replaces_the_excerpt_in_search_and_sharing(client):
    article = ArticleFactory(excerpt="The excerpt.", meta_description="What searchers read.")
    html = head(client, article.get_absolute_url())
    assert meta(html, "description") == ["What searchers read."]
    assert meta(html, "og:description") == ["What searchers read."]
    assert json_ld(html)["description"] == "What searchers read."
    plain = ArticleFactory(excerpt="The excerpt.")
    assert meta(head(client, plain.get_absolute_url()), "og:description") == ["The excerpt."]


def test_a_page_can_have_its_own_description(client):
    page = PageFactory(meta_description="Who we are.")
    html = head(client, page.get_absolute_url())
    assert meta(html, "description") == ["Who we are."]
    assert meta(html, "og:description") == ["Who we are."]
