import datetime
import zoneinfo

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Article, Page
from tests.factories import ArticleFactory, AuthorFactory, PageFactory, TagFactory
from tests.pages import attrs, nowhere, one, select, text, texts

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_newest_first(client):
    older = ArticleFactory(
        title="Older article", published_at=timezone.now() - datetime.timedelta(2)
    )
    newer = ArticleFactory(
        title="Newer article", published_at=timezone.now() - datetime.timedelta(1)
    )
    response = client.get("/")
    assert response.status_code == 200
    titles = texts(response, ".summary .entry-title")
    assert titles.index(newer.title) < titles.index(older.title)


def test_anonymous_reader_never_sees_a_draft_or_a_scheduled_article(client):
    draft = ArticleFactory(title="Secret draft", status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(
        title="Tomorrow's article", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    home = client.get("/")
    assert nowhere(home, "Secret draft")
    assert draft not in home.context["articles"]
    assert nowhere(home, "Tomorrow")
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(f"/preview/{draft.pk}/").status_code == 404
    assert nowhere(client.get(f"/category/{scheduled.category.slug}/"), "Tomorrow")


def test_staff_preview_a_draft_and_a_scheduled_article_uncached(editor_client):
    draft = ArticleFactory(title="Work in progress", status=Article.Status.DRAFT, published_at=None)
    response = editor_client.get(f"/preview/{draft.pk}/")
    assert response.status_code == 200
    assert text(response, "h1.entry-title") == "Work in progress"
    assert "no-store" in response["Cache-Control"]

    scheduled = ArticleFactory(
        title="Next week", published_at=timezone.now() + datetime.timedelta(days=7)
    )
    response = editor_client.get(f"/preview/{scheduled.pk}/")
    assert response.status_code == 302
    assert response["Location"] == scheduled.get_absolute_url()
    page = editor_client.get(scheduled.get_absolute_url())
    assert page.status_code == 200
    assert "private" in page["Cache-Control"]


def test_scheduled_article_appears_when_its_time_comes_without_a_cron_job(client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=60))
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    article.refresh_from_db()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_article_page_shows_breadcrumb_byline_review_and_body(client):
    reviewer = AuthorFactory(name="Dr. Reviewer", credentials="DO")
    article = ArticleFactory(
        title="What is a disc?",
        body="## Discs\n\nA disc is a *cushion* between vertebrae.",
        author=AuthorFactory(name="Dr. Writer", credentials="MD"),
        reviewed_by=reviewer,
        last_reviewed=datetime.date(2026, 5, 1),
    )
    page = client.get(article.get_absolute_url())
    assert text(page, ".entry-header .byline") == "By Dr. Writer, MD"
    assert text(page, ".medical-review").startswith("Medically reviewed by Dr. Reviewer, DO")
    assert texts(page, ".entry-content em") == ["cushion"]
    assert one(page, "#h-discs").name == "h2"
    crumbs = texts(page, 'nav[aria-label="Breadcrumb"] li')
    assert crumbs == ["Home »", f"{article.category.name} »", article.title]
    assert text(page, ".entry-header .reading-time") == "1 min read"


def test_previous_and_next_articles_are_linked(client):
    first, second, third = (
        ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=d)) for d in (3, 2, 1)
    )
    links = attrs(client.get(second.get_absolute_url()), ".post-navigation a", "href")
    assert first.get_absolute_url() in links
    assert third.get_absolute_url() in links


def test_home_paginates_ten_a_page_at_page_n(client):
    ArticleFactory.create_batch(11)
    first = client.get("/")
    assert len(select(first, ".entry-summary")) == 10 or len(first.context["articles"]) == 10
    second = client.get("/page/2/")
    assert second.status_code == 200
    assert len(second.context["articles"]) == 1
    assert client.get("/page/3/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/category/{category}/",
        "/tag/{tag}/",
        "/author/{author}/",
        "/{year}/",
        "/{year}/{month}/",
    ],
)
def test_archives_list_their_articles_and_paginate(client, url):
    tag = TagFactory()
    articles = ArticleFactory.create_batch(
        11, published_at=timezone.now().replace(month=1, day=15) - datetime.timedelta(days=365)
    )
    author, category = articles[0].author, articles[0].category
    for article in articles:
        article.author, article.category = author, category
        article.save()
        article.tags.add(tag)
    other = ArticleFactory(title="Elsewhere entirely")
    date = timezone.localtime(articles[0].published_at)
    base = url.format(
        category=category.slug,
        tag=tag.slug,
        author=author.slug,
        year=date.year,
        month=f"{date.month:02d}",
    )
    response = client.get(base)
    assert response.status_code == 200
    assert len(response.context["articles"]) == 10
    assert other not in response.context["articles"]
    assert len(client.get(f"{base}page/2/").context["articles"]) == 1


def test_unknown_archives_and_pages_answer_404_with_the_site_page(client):
    for url in ["/category/nope/", "/tag/nope/", "/author/nope/", "/nope/", "/2026/13/"]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert text(client.get("/nope/"), "h1") == "Page not found"


def test_a_static_page_answers_at_its_slug(client):
    PageFactory(title="About the practice", slug="about", body="We **treat** backs.")
    response = client.get("/about/")
    assert response.status_code == 200
    assertContains(response, "<strong>treat</strong>", html=True)
    PageFactory(slug="hidden", is_published=False)
    assert client.get("/hidden/").status_code == 404


def test_search_finds_published_articles_only(client):
    ArticleFactory(title="Sciatica explained")
    ArticleFactory(title="Sciatica draft", status=Article.Status.DRAFT, published_at=None)
    response = client.get("/?s=sciatica")
    assert response.status_code == 200
    assert "Sciatica explained" in texts(response, ".summary .entry-title")
    assert nowhere(response, "Sciatica draft")
    assert client.get("/?s=" + "x" * 5000).status_code == 200


def test_changing_a_published_slug_or_date_keeps_the_old_url_as_a_301(client):
    article = ArticleFactory(slug="old-slug")
    first_url = article.get_absolute_url()
    article.slug = "new-slug"
    article.save()
    second_url = article.get_absolute_url()
    article.published_at -= datetime.timedelta(days=3)
    article.save()
    final_url = article.get_absolute_url()
    assert len({first_url, second_url, final_url}) == 3
    for old in (first_url, second_url):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == final_url
    assert client.get(final_url).status_code == 200


def test_a_draft_that_changes_slug_leaves_no_redirect(client):
    article = ArticleFactory(slug="draft-slug", status=Article.Status.DRAFT, published_at=None)
    article.slug = "other"
    article.save()
    assert article.old_urls.count() == 0


def test_permalink_dates_use_the_site_time_zone(client, settings):
    settings.TIME_ZONE = "America/Chicago"
    # 03:30 UTC on 15 March is still the evening of 14 March in Chicago.
    published = datetime.datetime(2025, 3, 15, 3, 30, tzinfo=datetime.UTC)
    article = ArticleFactory(slug="late-night", published_at=published)
    assert article.get_absolute_url() == "/2025/03/14/late-night/"
    assert client.get("/2025/03/14/late-night/").status_code == 200
    assert client.get("/2025/03/15/late-night/").status_code == 404
    assert timezone.localtime(published, zoneinfo.ZoneInfo("America/Chicago")).day == 14


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert client.get("/healthz").status_code == 503


def assert_queries(client, url, django_assert_num_queries, cold, warm):
    """The first request after a change rebuilds the cached sidebar; later ones read it."""
    with django_assert_num_queries(cold):
        first = client.get(url)
    with django_assert_num_queries(warm):
        again = client.get(url)
    assert first.status_code == again.status_code == 200
    return again


@pytest.mark.parametrize("count", [1, 50])
def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    ArticleFactory.create_batch(count)
    PageFactory(slug="about")
    assert_queries(
        client, "/", django_assert_num_queries, NEWS_QUERIES + CHROME_QUERIES + HOME_QUERIES,
        HOME_WARM_QUERIES,
    )  # fmt: skip


@pytest.mark.parametrize("count", [1, 50])
def test_archives_run_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    articles = ArticleFactory.create_batch(count)
    category = articles[0].category
    Article.objects.update(category=category)
    # The listing plus the archive's own object lookup.
    for news, url in (
        (NEWS_QUERIES, category.get_absolute_url()),
        (0, articles[0].author.get_absolute_url()),
    ):
        assert_queries(
            client, url, django_assert_num_queries, news + CHROME_QUERIES + HOME_QUERIES + 1,
            HOME_WARM_QUERIES + 1,
        )  # fmt: skip
        from pagecache import version

        version.bump()  # as a change of content would: the next page rebuilds the sidebar


@pytest.mark.parametrize("count", [5, 50])
def test_article_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    tags = [TagFactory(), TagFactory()]
    article = ArticleFactory()
    article.tags.add(*tags)
    for other in ArticleFactory.create_batch(count, category=article.category):
        other.tags.add(*tags)
    response = assert_queries(
        client, article.get_absolute_url(), django_assert_num_queries,
        NEWS_QUERIES + CHROME_QUERIES + ARTICLE_FRAGMENT_QUERIES + ARTICLE_QUERIES,
        ARTICLE_QUERIES,
    )  # fmt: skip
    # Related articles, the archive list and previous/next all there, at no extra cost.
    assert len(response.context["related_articles"]) == 3
    assert response.context["next_article"] is None and response.context["previous_article"]
    assert select(response, ".related-articles") and select(response, ".widget.widget-archives")


# The site chrome, once per change of public content: settings, menu pages, categories, recent
# articles and archive months.
CHROME_QUERIES = 5
# The sidebar's news from other sites: once per five minutes, not per change of our content
# (its fragment is not versioned), so only the first page a test renders asks for it.
NEWS_QUERIES = 1
# Listing: count, one page, comment and like counts for the page in one query; then only the
# count (the paginator needs it) while the rendered listing is cached.
HOME_QUERIES = 3
HOME_WARM_QUERIES = 1
# The article and its like count on every request; its tags, previous/next/related (one query),
# and the comment tree once, then cached until public content changes (the references are
# stored with the article: Article.cited).
ARTICLE_QUERIES = 2
ARTICLE_FRAGMENT_QUERIES = 3


def test_reserved_slugs_are_refused_with_a_clear_message():
    from django.core.exceptions import ValidationError

    for slug in ["feed", "admin", "2024", "subscribe"]:
        page = Page(title="x", slug=slug, body="x")
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert "reserved" in str(error.value)
