"""Renditions made by the real worker process, on both task backends (db and rq)."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory
from tests.images.test_renditions import jpeg
from tests.subscriptions.worker import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_makes_an_uploaded_images_renditions(task_queue, start_worker, settings):
    worker = start_worker(MEDIA_ROOT=settings.MEDIA_ROOT)
    article = ArticleFactory(featured_image_alt="A calm river")
    article.featured_image.save("photo.jpg", jpeg(1200, 600), save=True)

    def made():
        return Article.objects.get(pk=article.pk).featured_image_renditions == [480, 960]

    wait_until(made, message=lambda: f"renditions; worker said:\n{worker.output()}")
    made_files = {path.name for path in settings.MEDIA_ROOT.rglob("renditions/**/*.*")}
    assert {"photo-480w.webp", "photo-960w.webp", "photo-480w.jpg", "photo-960w.jpg"} <= {
        name.replace(name.split("-")[0], "photo", 1) for name in made_files
    }
