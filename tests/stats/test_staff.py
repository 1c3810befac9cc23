"""What staff see: the statistics page, each article's panel, the CSV export."""

import csv
import datetime
import io

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone
from lxml import html

from stats import counting
from stats.models import ArticleDay, ReferrerDay, SearchDay
from subscriptions.models import Delivery, Follower, Notification
from tests import pages
from tests.factories import ArticleFactory, UserFactory
from tests.pages import nowhere
from tests.subscriptions.factories import FollowerFactory

from .conftest import SAFARI, send_beacon

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(n):
    return TODAY() - datetime.timedelta(days=n)


def texts(response, xpath):
    return [
        " ".join(e.text_content().split())
        for e in html.fromstring(response.content.decode()).xpath(xpath)
    ]


def cells(response, rows_xpath):
    """Table rows as lists of cell texts."""
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in html.fromstring(response.content.decode()).xpath(rows_xpath)
    ]


def rows(response, section_id):
    return cells(response, f'//section[@aria-labelledby="{section_id}"]//tbody/tr')


def test_the_statistics_are_for_staff_with_the_permission(client, author_user):
    assert client.get("/admin/stats/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/stats/export/articles.csv").status_code == 302
    client.force_login(author_user)  # staff, but Authors do not see statistics
    assert client.get("/admin/stats/").status_code == 403
    assert client.get("/admin/stats/export/articles.csv").status_code == 403
    admin_index = client.get("/admin/")
    assert nowhere(admin_index, "/admin/stats/")


def test_editors_find_the_statistics_in_the_admin(editor_client):
    index = editor_client.get("/admin/")
    assert "/admin/stats/" in pages.attrs(index, "a", "href")
    assert editor_client.get("/admin/stats/").status_code == 200
    assert editor_client.get("/admin/stats/articleday/").status_code == 200


@pytest.fixture
def reader():
    """A reader's browser: not the staff member's (whose own views are never counted)."""
    return Client()


def test_the_statistics_page_shows_what_readers_did(editor_client, reader):
    sciatica = ArticleFactory(title="Sciatica: why your leg hurts")
    posture = ArticleFactory(title="Desk posture")
    # Today, through the real beacon: two readers, one of them twice, one from our mail.
    send_beacon(reader, {"a": sciatica.pk, "r": "www.search.example"})
    send_beacon(reader, {"a": sciatica.pk, "m": "1"})
    send_beacon(reader, {"a": sciatica.pk}, user_agent=SAFARI)
    send_beacon(reader, {"q": "scoliosis", "f": "0"})
    send_beacon(reader, {"q": "sciatica", "f": "1"})
    # Earlier days, as earlier flushes left them.
    ArticleDay.objects.create(article=posture, day=days_ago(3), views=10, readers=8)
    ArticleDay.objects.create(article=sciatica, day=days_ago(20), views=4, readers=4)
    ArticleDay.objects.create(article=posture, day=days_ago(45), views=100, readers=90)
    ReferrerDay.objects.create(article=posture, day=days_ago(3), host="forum.example", views=6)
    SearchDay.objects.create(day=days_ago(2), term="scoliosis", searches=2, empty=2)

    page = editor_client.get("/admin/stats/")  # counted views are written before it shows
    assert texts(page, '//ul[@class="stats-figures"]/li') == [
        "Today 3 views 2 readers · 1 from our mail",
        "Last 7 days 13 views 10 readers · 1 from our mail",
        "Last 30 days 17 views 14 readers · 1 from our mail",
    ]
    assert rows(page, "top-articles") == [
        ["Desk posture", "10", "8", "0"],
        ["Sciatica: why your leg hurts", "7", "6", "1"],
    ]
    assert rows(page, "top-referrers") == [["forum.example", "6"], ["search.example", "1"]]
    assert rows(page, "failed-searches") == [["scoliosis", "3"]]
    assert rows(page, "top-searches") == [["scoliosis", "3", "3"], ["sciatica", "1", "0"]]
    # The chart: one bar per day with views, described for screen readers, and a table.
    assert (
        len(html.fromstring(page.content.decode()).xpath("//svg//rect[@class='stats-bar-views']"))
        == 3
    )
    assert "17 views in all; the busiest day had 10." in texts(page, "//svg/title")[0]

    longer = editor_client.get("/admin/stats/", {"days": 90})
    assert rows(longer, "top-articles")[0] == ["Desk posture", "110", "98", "0"]
    assert editor_client.get("/admin/stats/", {"days": "<script>"}).status_code == 200


def test_followers_are_shown_as_new_and_lost_per_week(editor_client):
    monday = TODAY() - datetime.timedelta(days=TODAY().weekday())
    at = lambda day: timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))  # noqa: E731
    FollowerFactory.create_batch(3, confirmed_at=at(monday))
    FollowerFactory(confirmed_at=at(monday - datetime.timedelta(days=5)))
    FollowerFactory(
        status=Follower.Status.UNSUBSCRIBED,
        confirmed_at=at(monday - datetime.timedelta(weeks=20)),
        unsubscribed_at=at(monday - datetime.timedelta(days=1)),
    )
    FollowerFactory(status=Follower.Status.BOUNCED, unsubscribed_at=at(monday))
    FollowerFactory(status=Follower.Status.PENDING, confirmed_at=None)

    weeks = rows(editor_client.get("/admin/stats/"), "followers")
    assert len(weeks) == 12
    assert weeks[0] == [monday.strftime("%-d %b %Y"), "4", "1"]  # the bounced one: confirmed now
    last_week = monday - datetime.timedelta(weeks=1)
    assert weeks[1] == [last_week.strftime("%-d %b %Y"), "1", "1"]
    assert all(week[1:] == ["0", "0"] for week in weeks[2:])


def test_each_new_article_mail_shows_sent_bounced_and_the_views_it_brought(editor_client):
    article = ArticleFactory(title="Walking after fusion")
    Notification.objects.create(article=article, queued_at=timezone.now(), recipients=4)
    for status in ("sent", "sent", "sent", "bounced"):
        Delivery.objects.create(article=article, follower=FollowerFactory(), status=status)
    ArticleDay.objects.create(article=article, day=days_ago(1), views=9, readers=9, mail_views=2)
    ArticleDay.objects.create(article=article, day=TODAY(), views=3, readers=3, mail_views=1)

    [row] = rows(editor_client.get("/admin/stats/"), "mails")
    assert row[0] == "Walking after fusion"
    assert row[2:] == ["3", "1", "3"]


def test_the_page_takes_the_same_few_queries_however_much_there_is(
    editor_client, django_assert_max_num_queries
):
    for n in range(30):
        article = ArticleFactory()
        Notification.objects.create(article=article, queued_at=timezone.now())
        for age in range(5):
            ArticleDay.objects.create(article=article, day=days_ago(age), views=n, readers=n)
            ReferrerDay.objects.create(article=article, day=days_ago(age), host=f"h{n}.example")
            SearchDay.objects.create(day=days_ago(age), term=f"term {n}", searches=1, empty=1)
    with django_assert_max_num_queries(16):
        assert editor_client.get("/admin/stats/").status_code == 200


def test_an_articles_change_page_shows_its_readership(editor_client, reader, author_user):
    article = ArticleFactory(title="First six weeks after surgery", author__user=author_user)
    other = ArticleFactory()
    send_beacon(reader, {"a": article.pk, "r": "clinic.example"})
    send_beacon(reader, {"a": article.pk}, user_agent=SAFARI)
    send_beacon(reader, {"a": other.pk})
    ArticleDay.objects.create(article=article, day=days_ago(10), views=5, readers=4)

    page = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    panel = '//section[@id="article-statistics"]'
    assert texts(page, f"{panel}//ul[@class='stats-figures']/li") == [
        "Today 2 views 2 readers",
        "Last 7 days 2 views 2 readers",
        "Last 30 days 7 views 6 readers",
    ]
    assert cells(page, f"{panel}//table[@class='stats-referrers']//tr") == [
        ["Site", "Views"],
        ["clinic.example", "1"],
    ]
    assert "No mail went out about this article." in texts(page, panel)[0]

    # An Author edits their own article, but statistics are not theirs to see.
    reader.force_login(author_user)
    own = reader.get(f"/admin/articles/article/{article.pk}/change/")
    assert own.status_code == 200
    assert texts(own, panel) == []
    assert editor_client.get("/admin/articles/article/add/").status_code == 200


def test_the_dashboard_can_show_a_summary(editor, author_user):
    ArticleDay.objects.create(article=ArticleFactory(), day=TODAY(), views=12, readers=7)
    template = Template("{% load stats %}{% statistics_summary %}")
    request = RequestFactory().get("/admin/")
    request.user = editor
    shown = template.render(Context({"request": request}))
    assert "12" in shown and 'href="/admin/stats/"' in shown
    request.user = author_user
    assert template.render(Context({"request": request})).strip() == ""


def test_the_export_is_a_spreadsheet_that_runs_nothing(editor_client):
    article = ArticleFactory(title='=HYPERLINK("https://evil.example","Click")')
    ArticleDay.objects.create(article=article, day=datetime.date(2026, 2, 3), views=5, readers=4)
    ReferrerDay.objects.create(
        article=article, day=datetime.date(2026, 2, 3), host="a.example", views=2
    )
    SearchDay.objects.create(
        day=datetime.date(2026, 2, 3), term="+cmd|' /c calc'!a0", searches=1, empty=1
    )

    response = editor_client.get("/admin/stats/export/articles.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        ["day", "article id", "article", "views", "readers", "views from mail"],
        [
            "2026-02-03",
            str(article.pk),
            '\'=HYPERLINK("https://evil.example","Click")',
            "5",
            "4",
            "0",
        ],
    ]
    searches = editor_client.get("/admin/stats/export/searches.csv").content.decode()
    assert list(csv.reader(io.StringIO(searches)))[1] == [
        "2026-02-03",
        "'+cmd|' /c calc'!a0",
        "1",
        "1",
    ]
    referrers = editor_client.get("/admin/stats/export/referrers.csv").content.decode()
    assert list(csv.reader(io.StringIO(referrers)))[1][3:] == ["a.example", "2"]
    assert editor_client.get("/admin/stats/export/secrets.csv").status_code == 404


def test_the_page_says_how_long_figures_are_kept(editor_client, settings):
    assert "kept until you choose otherwise" in pages.text(editor_client.get("/admin/stats/"))
    settings.STATS_RETENTION_DAYS = 400
    assert "kept for 400 days, then deleted" in pages.text(editor_client.get("/admin/stats/"))


def test_superusers_see_the_statistics_too(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    assert client.get("/admin/stats/").status_code == 200
    counting.flush()


def test_the_staff_dashboard_ends_with_the_readers_of_the_last_days(editor_client, author_user):
    ArticleDay.objects.create(article=ArticleFactory(), day=TODAY(), views=12, readers=7)
    dashboard = editor_client.get("/admin/")
    summary = '//section[@aria-labelledby="stats-summary-title"]'
    assert texts(dashboard, f"{summary}//ul[@class='stats-figures']/li")[0] == (
        "Today 12 views 7 readers"
    )
    assert "/admin/stats/" in pages.attrs(dashboard, "a", "href")
    author = Client()
    author.force_login(author_user)
    assert texts(author.get("/admin/"), summary) == []
