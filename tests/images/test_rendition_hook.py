"""The image field, not the models, decides when renditions are forgotten and made again."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models
from django.test.utils import CaptureQueriesContext, isolate_apps
from PIL import Image

from articles.models import Article
from authors.models import Author
from images.fields import SafeImageField
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def jpeg(width, height, name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 60, 30)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=name)


def stored(name, width=600, height=400):
    """A file already in storage, as an import or a shell session would assign it by name."""
    return default_storage.save(name, jpeg(width, height))


def test_a_new_author_with_a_photo_gets_its_renditions_once_committed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        author = AuthorFactory(photo=jpeg(600, 600))
    # One task for the photo; the task's own save of the widths queues nothing more.
    assert len([c for c in callbacks if "make_image_renditions" in repr(c)]) == 1
    assert Author.objects.get(pk=author.pk).photo_renditions == [480]


def test_saving_an_author_without_a_new_photo_queues_nothing_and_rereads_nothing(
    django_capture_on_commit_callbacks,
):
    author = AuthorFactory(photo=stored("authors/kept.jpg"))
    Author.objects.filter(pk=author.pk).update(photo_renditions=[480])
    author = Author.objects.get(pk=author.pk)
    author.bio = "Another sentence."
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        author.save()
    assert not [c for c in callbacks if "make_image_renditions" in repr(c)]
    assert not [
        q for q in queries if q["sql"].startswith("SELECT") and "authors_author" in q["sql"]
    ]
    assert Author.objects.get(pk=author.pk).photo_renditions == [480]


def test_a_replaced_image_forgets_its_old_renditions_in_the_same_save(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(featured_image=stored("articles/first.jpg"), featured_image_alt="A")
    Article.objects.filter(pk=article.pk).update(featured_image_renditions=[480])
    article = Article.objects.get(pk=article.pk)
    article.featured_image = stored("articles/second.jpg", 1000, 500)
    with django_capture_on_commit_callbacks() as callbacks:
        article.save()
        # Until the task has run, pages show the new original, never the old renditions.
        assert Article.objects.get(pk=article.pk).featured_image_renditions == []
    for callback in callbacks:
        callback()
    assert Article.objects.get(pk=article.pk).featured_image_renditions == [480, 960]


def test_removing_the_image_empties_its_renditions_and_queues_nothing(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(featured_image=stored("articles/gone.jpg"), featured_image_alt="A")
    Article.objects.filter(pk=article.pk).update(featured_image_renditions=[480])
    article = Article.objects.get(pk=article.pk)
    article.featured_image = None
    with django_capture_on_commit_callbacks() as callbacks:
        article.save()
    assert not [c for c in callbacks if "make_image_renditions" in repr(c)]
    assert Article.objects.get(pk=article.pk).featured_image_renditions == []


def test_an_instance_loaded_without_the_image_compares_with_the_database(
    django_capture_on_commit_callbacks,
):
    name = stored("authors/same.jpg")
    author = AuthorFactory(photo=name)
    Author.objects.filter(pk=author.pk).update(photo_renditions=[480])
    partial = Author.objects.only("name").get(pk=author.pk)
    partial.photo = name
    with django_capture_on_commit_callbacks() as callbacks:
        partial.save()
    assert not [c for c in callbacks if "make_image_renditions" in repr(c)]
    assert Author.objects.get(pk=author.pk).photo_renditions == [480]

    partial = Author.objects.only("name").get(pk=author.pk)
    partial.photo = stored("authors/other.jpg")
    with django_capture_on_commit_callbacks() as callbacks:
        partial.save()
    assert len([c for c in callbacks if "make_image_renditions" in repr(c)]) == 1
    assert Author.objects.get(pk=author.pk).photo_renditions == []


@isolate_apps("images")
def test_a_field_keeping_renditions_needs_somewhere_to_record_them():
    class Poster(models.Model):  # noqa: DJ008
        image = SafeImageField(renditions=True)

        class Meta:
            app_label = "images"

    class Framed(models.Model):  # noqa: DJ008
        image = SafeImageField(renditions=True)
        image_renditions = models.JSONField(default=list)

        class Meta:
            app_label = "images"

    assert [e.id for e in Poster._meta.get_field("image").check()] == ["images.E001"]
    assert Framed._meta.get_field("image").check() == []
