"""An article's address, read in one place: Article.objects.at_permalink() and its converters."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def test_the_permalink_date_is_the_local_date(settings):
    settings.TIME_ZONE = "America/Chicago"
    # 23:30 in Chicago on 12 April is 04:30 UTC on the 13th: the address has the 12th.
    article = ArticleFactory(
        slug="late-night", published_at=datetime.datetime(2023, 4, 12, 23, 30, tzinfo=CHICAGO)
    )
    assert list(Article.objects.at_permalink(2023, 4, 12, "late-night")) == [article]
    assert not Article.objects.at_permalink(2023, 4, 13, "late-night").exists()


def test_at_permalink_chains_after_visibility():
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    scheduled = ArticleFactory(slug="coming-soon", published_at=tomorrow)
    day = timezone.localdate(tomorrow)
    address = (day.year, day.month, day.day, "coming-soon")
    assert not Article.objects.published().at_permalink(*address).exists()
    editor = UserFactory(is_staff=True, is_superuser=True)
    assert list(Article.objects.visible_to(editor).at_permalink(*address)) == [scheduled]
    assert not Article.objects.visible_to(AnonymousUser()).at_permalink(*address).exists()


def test_a_draft_has_no_permalink():
    draft = ArticleFactory(slug="draft", status=Article.Status.DRAFT, published_at=timezone.now())
    day = timezone.localdate(draft.published_at)
    assert not Article.objects.at_permalink(day.year, day.month, day.day, "draft").exists()


@pytest.mark.parametrize("date", [(2023, 2, 30), (2023, 13, 1), (2023, 0, 10), (0, 1, 1)])
def test_a_date_that_does_not_exist_finds_nothing(date):
    ArticleFactory(slug="anything")
    assert list(Article.objects.published().at_permalink(*date, "anything")) == []
    assert list(Article.objects.formerly_at(*date, "anything")) == []


def test_formerly_at_finds_the_article_that_moved():
    article = ArticleFactory(slug="first-name")
    old = article.local_date
    article.slug = "second-name"
    article.save()
    assert list(Article.objects.formerly_at(old.year, old.month, old.day, "first-name")) == [
        article
    ]
    assert not Article.objects.at_permalink(old.year, old.month, old.day, "first-name").exists()


@pytest.mark.parametrize("path", ["2023/02/30/anything/", "2023/13/01/anything/"])
def test_an_impossible_date_answers_404_everywhere_below_it(client, path):
    ArticleFactory(slug="anything")
    assert client.get(f"/{path}").status_code == 404
    assert client.get(f"/{path}feed/").status_code == 404
    origin = {"HTTP_ORIGIN": "http://testserver"}
    assert client.post(f"/{path}like/", **origin).status_code == 404


def test_the_articles_sub_addresses_are_built_on_its_permalink():
    article = ArticleFactory(slug="disc-care")
    date = article.local_date
    kwargs = {"year": date.year, "month": date.month, "day": date.day, "slug": "disc-care"}
    url = article.get_absolute_url()
    assert url == f"/{date:%Y/%m/%d}/disc-care/"
    assert reverse("articles:detail", kwargs=kwargs) == url
    assert reverse("article-comments-feed", kwargs=kwargs) == url + "feed/"
    assert reverse("article-like", kwargs=kwargs) == url + "like/"
    assert reverse("article-unlike", kwargs=kwargs) == url + "unlike/"
