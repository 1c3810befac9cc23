"""/author/<slug>/: who writes here, and their public articles."""

import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.pages import nowhere

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def listed_titles(soup):
    return [h.get_text(strip=True) for h in soup.select("article.summary h2.entry-title")]


def jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 150)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="portrait.jpg")


@pytest.fixture
def surgeon(db):
    return AuthorFactory(
        name="Dr. Ana Ruiz",
        slug="ana-ruiz",
        credentials="MD, FAAOS",
        bio="Treats **necks** and backs.\n\nOperates on Tuesdays.",
        x_handle="ana_ruiz",
        website="https://example.org/ana/",
    )


def test_the_page_shows_the_byline_bio_and_links(client, surgeon):
    soup = page(client, "/author/ana-ruiz/")
    assert soup.find("h1").get_text(strip=True) == "Dr. Ana Ruiz, MD, FAAOS"
    assert soup.title.get_text().startswith("Dr. Ana Ruiz, MD, FAAOS · ")
    bio = soup.select_one(".author-bio")
    assert bio.find("strong").get_text() == "necks"
    assert [p.get_text() for p in bio.find_all("p")] == [
        "Treats necks and backs.",
        "Operates on Tuesdays.",
    ]
    x_link = soup.find("a", href="https://x.com/ana_ruiz")
    assert "Follow me on X" in x_link.get_text() and "me" in x_link["rel"]
    assert soup.find("a", href="https://example.org/ana/").get_text() == "Website"


def test_the_photo_has_its_description_and_size_and_its_renditions(
    client, surgeon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        surgeon.photo.save("portrait.jpg", jpeg(600, 800), save=True)
    soup = page(client, "/author/ana-ruiz/")
    photo = soup.select_one("header.author-header img")
    assert photo["alt"] == "Photo of Dr. Ana Ruiz"
    assert (photo["width"], photo["height"]) == ("600", "800")
    assert "author-photo" in photo["class"]
    assert photo.get("loading") is None  # at the top of the page: not lazy
    webp = soup.select_one("header.author-header picture source[type='image/webp']")
    assert webp["srcset"].endswith("-480w.webp 480w")


def test_an_author_without_a_photo_shows_no_picture(client, surgeon):
    soup = page(client, "/author/ana-ruiz/")
    assert soup.select("header.author-header img") == []


def test_only_their_public_articles_are_listed(client, surgeon):
    now = timezone.now()
    ArticleFactory(title="Neck pain at the desk", author=surgeon)
    ArticleFactory(title="Pillows and sleep", author=surgeon)
    ArticleFactory(
        title="Unfinished draft", author=surgeon, status=Article.Status.DRAFT, published_at=None
    )
    ArticleFactory(
        title="Ready for review", author=surgeon, status=Article.Status.REVIEW, published_at=None
    )
    ArticleFactory(
        title="Next week's article", author=surgeon, published_at=now + datetime.timedelta(days=7)
    )
    ArticleFactory(title="Someone else's article")
    soup = page(client, "/author/ana-ruiz/")
    assert sorted(listed_titles(soup)) == ["Neck pain at the desk", "Pillows and sleep"]
    assert soup.find("h2", class_="section-title").get_text() == "Articles by Dr. Ana Ruiz"


def test_an_author_with_nothing_public_yet_shows_the_empty_state(client, surgeon):
    ArticleFactory(author=surgeon, status=Article.Status.DRAFT, published_at=None)
    soup = page(client, "/author/ana-ruiz/")
    assert listed_titles(soup) == []
    assert soup.find("h2", class_="section-title") is None
    assert soup.select_one(".empty-state").get_text(strip=True) == "No articles yet."


def test_ten_articles_a_page_newest_first_then_page_two(client, surgeon):
    now = timezone.now()
    for n in range(11):
        ArticleFactory(
            title=f"Article {n:02d}", author=surgeon, published_at=now - datetime.timedelta(days=n)
        )
    first = page(client, "/author/ana-ruiz/")
    assert listed_titles(first) == [f"Article {n:02d}" for n in range(10)]
    assert first.find("a", rel="next")["href"] == "/author/ana-ruiz/page/2/"
    assert first.find("a", rel="prev") is None

    second = page(client, "/author/ana-ruiz/page/2/")
    assert listed_titles(second) == ["Article 10"]
    assert second.find("a", rel="prev")["href"] == "/author/ana-ruiz/"
    assert second.title.get_text().startswith("Dr. Ana Ruiz, MD, FAAOS · Page 2 · ")
    assert client.get("/author/ana-ruiz/page/3/").status_code == 404


def test_the_page_links_the_authors_own_feeds(client, surgeon):
    ArticleFactory(title="In the feed", author=surgeon)
    soup = page(client, "/author/ana-ruiz/")
    feeds = {
        link["type"]: link["href"]
        for link in soup.find_all("link", rel="alternate")
        if "Dr. Ana Ruiz" in link.get("title", "")
    }
    assert feeds == {
        "application/rss+xml": "/author/ana-ruiz/feed/",
        "application/atom+xml": "/author/ana-ruiz/feed/atom/",
    }
    for url in feeds.values():
        response = client.get(url)
        assert response.status_code == 200
        assert b"In the feed" in response.content


def test_an_unknown_author_answers_404(client, surgeon):
    for url in ("/author/nobody/", "/author/nobody/page/2/", "/author/nobody/feed/"):
        assert client.get(url).status_code == 404, url


def test_the_linked_staff_account_is_never_shown(client, surgeon):
    surgeon.user = UserFactory(username="aruiz-login", email="ana.private@example.org")
    surgeon.save()
    ArticleFactory(author=surgeon)
    page = client.get("/author/ana-ruiz/")
    assert nowhere(page, "aruiz-login") and nowhere(page, "ana.private@example.org")
