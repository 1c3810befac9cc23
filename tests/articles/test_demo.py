import pytest
from django.core.management import call_command

from articles.demo import load_demo
from articles.models import Article, Category, Page, SiteSettings
from authors.models import Author
from tests.pages import text

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_demo_blog_once():
    first = load_demo()
    assert first["created"]["articles"] == 6
    counts = (Article.objects.count(), Page.objects.count(), Author.objects.count())
    assert Article.objects.published().count() == 6
    assert Category.objects.filter(articles__isnull=False).distinct().count() == 3
    assert {"about", "contact", "privacy", "medical-disclaimer"} <= set(
        Page.objects.values_list("slug", flat=True)
    )
    second = load_demo()
    assert sum(second["created"].values()) == 0
    assert (Article.objects.count(), Page.objects.count(), Author.objects.count()) == counts


def test_load_demo_keeps_what_staff_edited(capsys):
    load_demo()
    settings_row = SiteSettings.load()
    settings_row.tagline = "Our own tagline"
    settings_row.save()
    call_command("load_demo", verbosity=1)
    assert SiteSettings.load().tagline == "Our own tagline"
    assert "0 created" in capsys.readouterr().out


def test_demo_articles_render(client):
    load_demo()
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert text(response, ".entry-header .byline") == f"By {article.author.byline}"
