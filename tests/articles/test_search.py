"""Search at /?s=: these run on whichever database the suite runs on (SQLite by default,
PostgreSQL with DATABASE_URL); both must pass. The last few are PostgreSQL's own."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article
from tests.factories import ArticleFactory
from tests.news_box import warm_news_box
from tests.pages import attrs, everything, nowhere, one, select, text

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def results(client, query):
    response = client.get("/", {"s": query})
    assert response.status_code == 200
    return response, [article.title for article in response.context["articles"]]


def test_a_title_match_ranks_above_any_number_of_body_matches(client):
    ArticleFactory(
        title="Living with a bad back",
        body="Sciatica, sciatica, sciatica. " * 20,
        published_at=timezone.now() - datetime.timedelta(days=1),
    )
    ArticleFactory(
        title="Sciatica explained",
        body="Leg pain that starts in the lower back.",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    _, titles = results(client, "sciatica")
    assert titles == ["Sciatica explained", "Living with a bad back"]


@pytest.mark.parametrize(
    ("written", "searched"), [("injection", "injections"), ("injections", "injection")]
)
def test_stemming_finds_other_forms_of_a_word(client, written, searched):
    ArticleFactory(title="What to expect", body=f"Your doctor may suggest an epidural {written}.")
    ArticleFactory(title="Unrelated", body="Stretching every morning.")
    _, titles = results(client, searched)
    assert titles == ["What to expect"]


def test_every_word_must_match(client):
    ArticleFactory(title="Neck pain at the desk", body="Posture matters.")
    ArticleFactory(title="Neck surgery", body="What happens in the operating room.")
    assert results(client, "neck posture")[1] == ["Neck pain at the desk"]


def test_drafts_review_and_scheduled_articles_never_appear(client):
    ArticleFactory(title="Sciatica explained")
    ArticleFactory(title="Sciatica draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Sciatica review", status=Article.Status.REVIEW, published_at=None)
    ArticleFactory(
        title="Sciatica tomorrow", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    response, titles = results(client, "sciatica")
    assert titles == ["Sciatica explained"]
    assert nowhere(response, "draft") and nowhere(response, "tomorrow")
    assert not [s for s in everything(response) if "review" in s.lower().replace("reviewed", "")]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 5000,
        "sciatica " * 700,
        '"',
        '"unbalanced phrase',
        "a & b | !c",
        "'; DROP TABLE articles_article; --",
        "<script>alert(1)</script>",
        "ünïcødé 脊椎 ✓",
        "!!!",
        "-",
        "or",
        "the",
        "-sciatica",
        "\x00",
        "a\x00b",
        "%",
        "_",
        "\\",
        "(",
        "sciatica:*",
        "<->",
        "\ue000mark\ue001",
    ],
)
def test_long_and_odd_queries_get_a_proper_page(client, query):
    ArticleFactory(title="Sciatica explained")
    response, _ = results(client, query)
    assert "<script>alert(1)</script>" not in response.content.decode()  # escaped wherever shown
    assert not [s for s in select(response, "script") if "alert(1)" in s.get_text()]
    assert text(response, "h1.archive-title").startswith("Search results for")


@pytest.mark.parametrize("query", ["-sciatica", "the and of", "?!", "-"])
def test_only_exclusions_or_common_words_find_nothing(client, query):
    ArticleFactory(title="Sciatica explained")
    ArticleFactory(title="Neck pain")
    assert results(client, query)[1] == []


def test_an_empty_query_gets_a_proper_page(client):
    ArticleFactory(title="Sciatica explained")
    response, titles = results(client, "")
    assert titles == []
    assert "Nothing matched your search" in text(response, "main")


def test_results_show_a_snippet_with_the_words_highlighted_and_everything_else_escaped(client):
    ArticleFactory(
        title="Shots",
        body=(
            "Some background first. " * 30
            + "Epidural injections & other treatments <b>help</b> many people with leg pain."
        ),
    )
    response, _ = results(client, "injection")
    snippet = one(response, "p.entry-summary.search-snippet")
    assert "injections" in [mark.get_text() for mark in snippet.find_all("mark")]
    assert "& other treatments" in snippet.get_text()
    # The body's own <b> is neither kept as markup nor shown as text; <mark> is the only tag.
    assert "<b>" not in snippet.get_text()
    assert {tag.name for tag in snippet.find_all(True)} == {"mark"}


def test_search_pages_are_kept_out_of_search_engines(client):
    ArticleFactory(title="Sciatica explained")
    page = client.get("/", {"s": "sciatica"})
    assert attrs(page, 'head meta[name="robots"]', "content") == ["noindex, follow"]
    assert not select(page, 'head [rel~="canonical"]')


def test_search_results_paginate_and_keep_the_query(client):
    ArticleFactory.create_batch(12, title="Sciatica notes")
    response, titles = results(client, "sciatica")
    assert len(titles) == 10
    assert text(response, ".archive-header .search-count") == "12 articles found."
    assert "/page/2/?s=sciatica" in attrs(response, ".pagination a", "href")
    second = client.get("/page/2/", {"s": "sciatica"})
    assert len(second.context["articles"]) == 2


def test_search_runs_the_same_number_of_queries_for_few_or_many_results(
    client, django_capture_on_commit_callbacks
):
    warm_news_box()  # asked for once per five minutes, not per content change
    counts = []
    for batch in (1, 25):
        with django_capture_on_commit_callbacks(execute=True):
            ArticleFactory.create_batch(batch, title="Sciatica notes")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/", {"s": "sciatica"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The helpers, on any database.


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("injections", "injection"),
        ("injection", "injection"),
        ("injuries", "injur"),
        ("injury", "injur"),
        ("walking", "walk"),
        ("stretched", "stretch"),
        ("nerves", "nerv"),
        ("discs", "disc"),
        ("stress", "stress"),
        ("leg", "leg"),
        ("uses", "use"),
    ],
)
def test_the_fallback_stemmer_cuts_common_endings(word, stem):
    assert search.crude_stem(word) == stem


def test_queries_are_cleaned_of_control_characters_and_cut_short():
    assert search.clean_query(" sciatica\x00 and\tback\n ") == "sciatica and back"
    assert len(search.clean_query("word " * 2000)) <= search.MAX_QUERY_CHARS
    assert search.query_stems("The injections -surgery well-being") == (
        ["injection", "well", "being"],
        ["surger"],
    )


def test_a_headline_is_escaped_before_its_matches_are_marked():
    headline = f"<p>a &lt;b&gt; &amp; {search.MARK_START}injection{search.MARK_STOP} #</p>"
    assert search.headline_html(headline) == "a &lt;b&gt; &amp; <mark>injection</mark>"
    stray = f"{search.MARK_STOP}x{search.MARK_START}"
    assert search.headline_html(stray) == "x"


def test_a_text_snippet_starts_near_the_first_match():
    text = " ".join(f"word{n}" for n in range(100)) + " Injections <help> here."
    snippet = search.text_snippet(text, ["injection"])
    assert snippet.startswith("… ")
    assert "<mark>Injections</mark> &lt;help&gt; here." in snippet


# PostgreSQL's own.


@postgresql_only
def test_postgresql_search_uses_the_gin_index():
    ArticleFactory.create_batch(3)
    with connection.cursor() as cursor:
        # Three rows are cheaper to scan than to look up: make the planner show the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Article.objects.search("sciatica").explain()
    assert "articles_article_search_gin" in plan


@postgresql_only
def test_the_search_document_follows_every_change_even_bulk_updates(client):
    article = ArticleFactory(title="Neck pain")
    Article.objects.filter(pk=article.pk).update(title="Whiplash recovery")
    assert results(client, "whiplash")[1] == ["Whiplash recovery"]
    assert results(client, "pain")[1] == []


@postgresql_only
def test_postgresql_understands_phrases_and_exclusions(client):
    ArticleFactory(title="One", body="Lower back pain after lifting.")
    ArticleFactory(title="Two", body="Pain in the back of the leg, lower down.")
    assert results(client, '"lower back pain"')[1] == ["One"]
    assert results(client, "pain -lifting")[1] == ["Two"]


def test_case_and_accents_fold_as_a_reader_types_them(client):
    ArticleFactory(title="Epidural steroid injections, explained", body="What happens on the day.")
    ArticleFactory(title="Une péridurale", body="L’épidurale et ses effets.")
    for query in ("epidural", "EPIDURAL", "ÉPIDURAL", "Épidural"):
        _, titles = results(client, query)
        assert "Epidural steroid injections, explained" in titles, query
    if connection.vendor != "postgresql":
        # SQLite also finds the accented word from the plain one (PostgreSQL's english
        # configuration keeps accents in the stored document; see the README).
        _, titles = results(client, "epidurale")
        assert titles == ["Une péridurale"]
