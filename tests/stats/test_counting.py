"""What issue 18 asks counting to show: cached pages count, readers count once a day, and
the views of people who asked not to be counted, of robots and of prefetches never count."""

import pytest

from stats import counting
from stats.models import ArticleDay, ReferrerDay, SearchDay
from tests.factories import ArticleFactory, UserFactory

from .conftest import SAFARI, beacon_of, fields_of, send_beacon

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    from functools import partial

    return partial(django_capture_on_commit_callbacks, execute=True)


def figures(article):
    return list(ArticleDay.objects.filter(article=article).values_list("views", "readers"))


def test_a_view_through_the_cached_page_counts_once(client, settings, article, any_store):
    settings.PAGE_CACHE = True
    url = article.get_absolute_url()
    first = client.get(url)
    second = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    counting.flush()
    assert figures(article) == []  # serving a page, cached or not, counts nothing by itself

    # The cached bytes carry the beacon; the browser sends it once the page is shown.
    script = beacon_of(second)
    assert script["data-endpoint"] == "/stats/beacon/"
    assert script["src"].endswith("js/stats.js")
    assert send_beacon(client, fields_of(script)).status_code == 204
    counting.flush()
    assert figures(article) == [(1, 1)]


def test_the_same_reader_twice_in_a_day_is_one_reader_and_two_views(client, article, any_store):
    fields = {"a": article.pk}
    send_beacon(client, fields)
    send_beacon(client, fields)
    counting.flush()
    send_beacon(client, fields)  # a later batch still knows this reader was counted today
    send_beacon(client, fields, ip="198.51.100.4")  # someone else
    send_beacon(client, fields, user_agent=SAFARI)  # another device behind the same address
    counting.flush()
    assert figures(article) == [(5, 3)]


def test_readers_are_counted_per_article(client, any_store):
    one, two = ArticleFactory(), ArticleFactory()
    send_beacon(client, {"a": one.pk})
    send_beacon(client, {"a": two.pk})
    counting.flush()
    assert figures(one) == [(1, 1)]
    assert figures(two) == [(1, 1)]


@pytest.mark.parametrize(
    "header",
    [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}],
    ids=["do-not-track", "global-privacy-control"],
)
def test_readers_who_ask_not_to_be_tracked_are_not_counted(client, article, header, any_store):
    response = send_beacon(client, {"a": article.pk}, **header)
    assert response.status_code == 204
    counting.flush()
    assert figures(article) == []


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
        "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
    ],
    ids=["googlebot", "bingbot", "gptbot", "headless-chrome", "python", "curl", "no-agent"],
)
def test_bots_are_not_counted(client, article, user_agent):
    assert send_beacon(client, {"a": article.pk}, user_agent=user_agent).status_code == 204
    counting.flush()
    assert figures(article) == []


@pytest.mark.parametrize(
    "header",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
    ],
    ids=["sec-purpose", "prerender", "purpose"],
)
def test_prefetches_are_not_counted(client, article, header):
    assert send_beacon(client, {"a": article.pk}, **header).status_code == 204
    counting.flush()
    assert figures(article) == []


def test_signed_in_staff_are_not_counted(client, article):
    client.force_login(UserFactory(username="staffer"))
    send_beacon(client, {"a": article.pk})
    counting.flush()
    assert figures(article) == []


def test_beacons_from_other_sites_are_refused(client, article):
    response = send_beacon(client, {"a": article.pk}, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 403
    counting.flush()
    assert figures(article) == []


def test_only_public_articles_are_counted(client):
    draft = ArticleFactory(status="draft", published_at=None)
    for fields in ({"a": draft.pk}, {"a": draft.pk + 1000}, {"a": "-3"}, {"a": "9" * 40}):
        assert send_beacon(client, fields).status_code == 204
    counting.flush()
    assert not ArticleDay.objects.exists()


@pytest.mark.parametrize(
    "fields", [{}, {"a": "seven"}, {"a": "1" * 3000}], ids=["empty", "not-a-number", "too-long"]
)
def test_malformed_beacons_are_refused(client, article, fields):
    assert send_beacon(client, fields).status_code in {400, 413}
    counting.flush()
    assert not ArticleDay.objects.exists()


def test_the_beacon_only_takes_posts_and_is_never_cached(client, article):
    assert client.get("/stats/beacon/").status_code == 405
    response = send_beacon(client, {"a": article.pk})
    assert "no-store" in response["Cache-Control"]
    assert response.content == b""


def test_other_sites_are_kept_by_host_name_only(client, article, any_store):
    for referrer in (
        "www.patient-forum.test",
        "patient-forum.test",
        "https://news.example.org/health/backs?id=99",
        "testserver",  # our own pages
        "not a host!",
    ):
        send_beacon(client, {"a": article.pk, "r": referrer})
    counting.flush()
    assert sorted(ReferrerDay.objects.values_list("host", "views")) == [
        ("news.example.org", 1),
        ("patient-forum.test", 2),
    ]
    assert figures(article) == [(5, 1)]


def test_views_from_the_new_article_mail_are_counted_as_such(client, article, any_store):
    send_beacon(client, {"a": article.pk, "m": "1"})
    send_beacon(client, {"a": article.pk}, ip="198.51.100.9")
    counting.flush()
    assert list(ArticleDay.objects.values_list("views", "readers", "mail_views")) == [(2, 2, 1)]


def test_the_new_article_mail_links_carry_the_mail_marker(smtp_server, committed, settings):
    from lxml import html

    from tests.smtp import body_html, body_text
    from tests.subscriptions.conftest import publish
    from tests.subscriptions.factories import FollowerFactory

    settings.SITE_URL = "https://backstory.example"
    FollowerFactory(email="reader@example.net")
    with committed():
        article = publish(title="Walking after spinal fusion")
    [message] = smtp_server.to("reader@example.net")
    url = f"https://backstory.example{article.get_absolute_url()}"
    assert f"Read the article: {url}?from=mail\r\n" in body_text(message)
    links = html.fromstring(body_html(message)).xpath("//a/@href")
    to_article = [link for link in links if link.startswith(url)]
    assert to_article and set(to_article) == {f"{url}?from=mail"}


def test_site_searches_are_counted_with_whether_they_found_anything(client, any_store):
    ArticleFactory(title="Sciatica and the sciatic nerve")
    found = beacon_of(client.get("/", {"s": "Sciatica"}))
    missing = beacon_of(client.get("/", {"s": "  Scoliosis   brace "}))
    assert (found["data-search"], found["data-found"]) == ("Sciatica", "1")
    assert (missing["data-search"], missing["data-found"]) == ("Scoliosis brace", "0")
    send_beacon(client, fields_of(found))
    send_beacon(client, fields_of(missing))
    send_beacon(client, fields_of(missing), ip="198.51.100.20")
    counting.flush()
    assert sorted(SearchDay.objects.values_list("term", "searches", "empty")) == [
        ("sciatica", 1, 0),
        ("scoliosis brace", 2, 2),
    ]


@pytest.mark.parametrize(
    "term", ["jane.doe@example.net", "call me 555 123 4567", "MRN 00481516"], ids=str
)
def test_search_terms_that_say_who_typed_them_are_not_kept(client, term):
    send_beacon(client, {"q": term, "f": "0"})
    counting.flush()
    assert not SearchDay.objects.exists()


def test_pages_carry_the_beacon_only_where_something_is_counted(client, editor_client):
    article = ArticleFactory()
    ArticleFactory.create_batch(10, title="Neck pain")
    draft = ArticleFactory(status="draft", published_at=None)
    assert beacon_of(client.get(article.get_absolute_url()))["data-article"] == str(article.pk)
    assert beacon_of(client.get("/")) is None
    assert beacon_of(client.get("/", {"s": "neck"}))["data-found"] == "1"
    assert beacon_of(client.get("/page/2/", {"s": "neck"})) is None  # one search, not two
    assert beacon_of(client.get("/", {"s": ""})) is None
    assert beacon_of(editor_client.get(f"/preview/{draft.pk}/")) is None


def test_the_page_script_is_an_external_file_without_inline_code(client, article):
    """A Content-Security-Policy without 'unsafe-inline' must not stop the counting."""
    from django.contrib.staticfiles import finders
    from lxml import html

    page = html.fromstring(client.get(article.get_absolute_url()).content)
    [script] = page.xpath("//script[@data-endpoint]")
    assert script.get("src").endswith("/js/stats.js") and not (script.text or "").strip()
    assert finders.find("js/stats.js")
