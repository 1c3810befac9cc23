import calendar
import datetime
import html

import factory
import feedparser
import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree

from articles.models import Article
from tests.articles.feed_checks import ATOM, CONTENT, check_atom, check_rss
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory
from tests.pages import select

pytestmark = pytest.mark.django_db

FEEDS = [
    ("/feed/", "rss20"),
    ("/feed/atom/", "atom10"),
    ("/category/{category}/feed/", "rss20"),
    ("/category/{category}/feed/atom/", "atom10"),
    ("/author/{author}/feed/", "rss20"),
    ("/author/{author}/feed/atom/", "atom10"),
]


def with_image(**kwargs):
    return ArticleFactory(
        featured_image=factory.django.ImageField(
            filename="cover.jpg", format="JPEG", width=1200, height=630
        ),
        featured_image_alt="A spine model on a desk",
        **kwargs,
    )


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def parsed(response):
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def filed():
    """Two articles by one author in one category (one with a picture), and one elsewhere."""
    author, category = AuthorFactory(name="Dr. Feed"), CategoryFactory(name="Recovery")
    first = with_image(title="Walking after surgery", author=author, category=category)
    second = ArticleFactory(title="Sleeping positions", author=author, category=category)
    second.tags.add(TagFactory(name="sleep"))
    ArticleFactory(title="Somewhere else")
    return author, category, first, second


@pytest.mark.parametrize(("url", "version"), FEEDS)
def test_feeds_parse_cleanly_in_feedparser_and_in_the_strict_validator(client, filed, url, version):
    author, category, *_ = filed
    response = fetch(client, url.format(category=category.slug, author=author.slug))
    feed = parsed(response)
    assert feed.version == version
    if version == "rss20":
        assert response["Content-Type"].startswith("application/rss+xml")
        check_rss(response.content)
    else:
        assert response["Content-Type"].startswith("application/atom+xml")
        check_atom(response.content)
    assert {entry.title for entry in feed.entries} >= {
        "Walking after surgery",
        "Sleeping positions",
    }


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feed_entries_carry_title_link_dates_author_and_no_email(client, url):
    article = ArticleFactory(
        title='Hips & backs: a <b>"plain"</b> answer',
        author=AuthorFactory(name="Dr. Writer", credentials="MD"),
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    newer = ArticleFactory(title="A newer one")
    feed = parsed(fetch(client, url))
    assert feed.feed.title == "The Back Story"
    assert feed.feed.link == settings.SITE_URL + "/"
    assert [entry.link for entry in feed.entries] == [
        settings.SITE_URL + newer.get_absolute_url(),
        settings.SITE_URL + article.get_absolute_url(),
    ]
    entry = feed.entries[1]
    # RSS titles are HTML (escaped once more), Atom titles plain text: both read the same.
    title = html.unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title
    assert title == article.title
    assert calendar.timegm(entry.published_parsed) == int(article.published_at.timestamp())
    if url.endswith("atom/"):
        assert calendar.timegm(entry.updated_parsed) == int(article.last_modified.timestamp())
    assert entry.author == "Dr. Writer, MD"
    assert "@" not in str(entry.get("author_detail", {}))
    assert entry.id.startswith("tag:") and str(article.pk) in entry.id


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_scheduled_article_is_absent_until_its_time_and_a_draft_never_appears(client, url):
    ArticleFactory(title="Already out")
    scheduled = ArticleFactory(
        title="Tomorrow's article", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    ArticleFactory(title="Secret draft", status=Article.Status.DRAFT, published_at=None)

    titles = [entry.title for entry in parsed(fetch(client, url)).entries]
    assert titles == ["Already out"]

    Article.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    titles = [html.unescape(entry.title) for entry in parsed(fetch(client, url)).entries]
    assert titles == ["Tomorrow's article", "Already out"]


def test_the_feed_holds_the_ten_latest_articles(client):
    ArticleFactory.create_batch(12)
    assert len(parsed(fetch(client, "/feed/")).entries) == 10


def test_full_text_by_default_with_absolute_links_and_no_heading_permalinks(client, settings):
    settings.FEED_FULL_CONTENT = True
    ArticleFactory(
        body=(
            "## Walking\n\nSee [our guide](/about/) and ![a map](/media/map.png).[^1]\n\n"
            "[^1]: A note."
        ),
        excerpt="A short excerpt.",
    )
    rss = check_rss(fetch(client, "/feed/").content)
    content = rss.find(f"channel/item/{{{CONTENT}}}encoded").text
    assert f'href="{settings.SITE_URL}/about/"' in content
    assert f'src="{settings.SITE_URL}/media/map.png"' in content
    assert "headerlink" not in content
    article_url = settings.SITE_URL + Article.objects.get().get_absolute_url()
    assert f'href="{article_url}#fn:1"' in content
    assert 'href="#' not in content
    assert "A short excerpt." in rss.find("channel/item/description").text
    atom = check_atom(fetch(client, "/feed/atom/").content)
    assert atom.find(f"{{{ATOM}}}entry/{{{ATOM}}}content").get("type") == "html"


def test_excerpt_only_when_the_setting_says_so(client, settings):
    settings.FEED_FULL_CONTENT = False
    ArticleFactory(body="The whole long text.", excerpt="Just the excerpt.")
    rss = check_rss(fetch(client, "/feed/").content)
    assert rss.find(f"channel/item/{{{CONTENT}}}encoded") is None
    assert "Just the excerpt." in rss.find("channel/item/description").text
    assert "Continue reading" in rss.find("channel/item/description").text
    atom = check_atom(fetch(client, "/feed/atom/").content)
    assert atom.find(f"{{{ATOM}}}entry/{{{ATOM}}}content") is None
    assert "Just the excerpt." in atom.find(f"{{{ATOM}}}entry/{{{ATOM}}}summary").text


def test_the_featured_image_is_an_enclosure_and_in_the_content(client):
    article = with_image()
    image = settings.SITE_URL + article.featured_image.url
    entry = parsed(fetch(client, "/feed/")).entries[0]
    assert entry.enclosures == [
        {"href": image, "length": str(article.featured_image.size), "type": "image/jpeg"}
    ]
    picture = entry.content[0].value
    assert f'src="{image}"' in picture and 'alt="A spine model on a desk"' in picture
    atom = parsed(fetch(client, "/feed/atom/")).entries[0]
    assert atom.enclosures[0]["href"] == image


def test_a_missing_image_file_leaves_the_enclosure_out_but_the_feed_up(client):
    article = with_image()
    article.featured_image.storage.delete(article.featured_image.name)
    feed = parsed(fetch(client, "/feed/"))
    assert feed.entries[0].enclosures == []


def test_category_and_author_feeds_hold_only_their_articles(client, filed):
    author, category, first, second = filed
    for url in (f"/category/{category.slug}/feed/", f"/author/{author.slug}/feed/atom/"):
        feed = parsed(fetch(client, url))
        # The factory publishes each article a minute before the one made before it.
        assert [entry.title for entry in feed.entries] == [first.title, second.title]
        assert feed.feed.title in {"The Back Story » Recovery", "The Back Story » Dr. Feed"}
    feed = parsed(fetch(client, f"/category/{category.slug}/feed/"))
    assert feed.feed.link == settings.SITE_URL + category.get_absolute_url()
    assert {tag.term for tag in feed.entries[1].tags} == {"Recovery", "sleep"}


def test_unknown_category_or_author_feeds_answer_404(client):
    for url in ["/category/nope/feed/", "/author/nope/feed/", "/author/nope/feed/atom/"]:
        assert client.get(url).status_code == 404, url


def test_every_page_links_the_site_feeds_and_archives_link_their_own(client, filed):
    author, category, first, _ = filed

    def feed_links(url):
        links = select(client.get(url), 'head link[rel="alternate"]')
        return [(link.get("type"), link.get("title"), link.get("href")) for link in links]

    rss = ("application/rss+xml", "The Back Story (RSS)", "/feed/")
    atom = ("application/atom+xml", "The Back Story (Atom)", "/feed/atom/")
    for url in ["/", first.get_absolute_url(), category.get_absolute_url(), "/nope/"]:
        links = feed_links(url)
        assert rss in links and atom in links, url
    links = feed_links(category.get_absolute_url())
    assert (
        "application/rss+xml",
        "The Back Story » Recovery (RSS)",
        f"/category/{category.slug}/feed/",
    ) in links
    assert f"/category/{category.slug}/feed/atom/" in [href for _, _, href in links]
    assert f"/author/{author.slug}/feed/" in [
        href for _, _, href in feed_links(author.get_absolute_url())
    ]


@pytest.mark.parametrize(
    "broken",
    [
        b"<rss version='2.0'><channel><title>x</title>",  # not well-formed
        b"<rss version='2.0'><channel><title>x</title><link>/</link><description/></channel></rss>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title></feed>",  # no id, updated
    ],
)
def test_the_strict_validator_refuses_broken_feeds(broken):
    check = check_atom if b"Atom" in broken else check_rss
    with pytest.raises((AssertionError, etree.XMLSyntaxError)):
        check(broken)
