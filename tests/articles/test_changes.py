"""What a save changes besides the row: the "last updated" time and the old addresses."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleRedirect
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def reads_of_the_row(queries, article):
    """SELECTs of this one article's row (not the content version's look at scheduled ones)."""
    table = Article._meta.db_table
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT")
        and f'FROM "{table}"' in q["sql"]
        and f'"{table}"."id" = {article.pk}' in q["sql"]
    ]


def test_updated_at_moves_only_when_the_words_change():
    long_ago = timezone.now() - datetime.timedelta(days=30)
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(updated_at=long_ago)
    article = Article.objects.get(pk=article.pk)

    article.comments_open = False
    article.save()
    assert Article.objects.get(pk=article.pk).updated_at == long_ago

    article.body += "\nOne more sentence about posture.\n"
    article.save()
    assert Article.objects.get(pk=article.pk).updated_at > long_ago


def test_a_new_article_was_last_updated_when_it_was_published():
    published = timezone.now() - datetime.timedelta(days=3)
    assert ArticleFactory(published_at=published).updated_at == published


def test_a_save_reads_the_saved_row_once():
    article = ArticleFactory(slug="before")
    article = Article.objects.get(pk=article.pk)
    article.slug, article.title = "after", "A new title"
    picture = io.BytesIO()
    Image.new("RGB", (60, 40)).save(picture, "JPEG")
    # A new picture too: the image field judges that without reading the row again.
    name = default_storage.save("articles/new.jpg", ContentFile(picture.getvalue()))
    article.featured_image = name
    with CaptureQueriesContext(connection) as queries:
        article.save()
    assert len(reads_of_the_row(queries, article)) == 1
    assert ArticleRedirect.objects.filter(slug="before", article=article).exists()


def test_saving_other_columns_reads_nothing_and_moves_nothing():
    article = ArticleFactory(slug="stays")
    with CaptureQueriesContext(connection) as queries:
        article.comments_open = False
        article.save(update_fields=["comments_open"])
    assert reads_of_the_row(queries, article) == []
    assert not ArticleRedirect.objects.exists()


def test_an_article_moving_back_to_an_old_address_takes_it_back(client):
    article = ArticleFactory(slug="first")
    first_url = article.get_absolute_url()
    article.slug = "second"
    article.save()
    article.slug = "first"
    article.save()
    assert article.get_absolute_url() == first_url
    assert client.get(first_url).status_code == 200
    assert list(ArticleRedirect.objects.values_list("slug", flat=True)) == ["second"]
    response = client.get(first_url.replace("/first/", "/second/"))
    assert (response.status_code, response["Location"]) == (301, first_url)
