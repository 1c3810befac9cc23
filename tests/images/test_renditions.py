import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from articles.models import Article
from images.renditions import rendition_name
from tests.factories import ArticleFactory
from tests.pages import attrs, one, select

pytestmark = pytest.mark.django_db


def jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 110, 130)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def test_a_featured_image_gets_webp_and_jpeg_renditions_in_three_widths(
    client, settings, django_capture_on_commit_callbacks
):
    article = ArticleFactory(featured_image_alt="A calm river")
    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image.save("photo.jpg", jpeg(2000, 1000), save=True)
    article.refresh_from_db()
    assert article.featured_image_renditions == [480, 960, 1440]
    for width in (480, 960, 1440):
        for extension, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            path = settings.MEDIA_ROOT / rendition_name(
                article.featured_image.name, width, extension
            )
            with Image.open(path) as image:
                assert (image.format, image.width, image.height) == (fmt, width, width // 2)

    figure = one(client.get(article.get_absolute_url()), "figure.featured-image")
    assert "-1440w.webp 1440w" in " ".join(attrs(figure, 'source[type="image/webp"]', "srcset"))
    assert "-480w.jpg 480w" in " ".join(attrs(figure, "[srcset]", "srcset"))
    img = figure.select_one("img")
    assert (img["width"], img["height"]) == ("2000", "1000")
    assert img["fetchpriority"] == "high"  # the article's own picture is above the fold


def test_listing_pictures_below_the_fold_are_lazy(client, django_capture_on_commit_callbacks):
    articles = ArticleFactory.create_batch(3, featured_image_alt="Picture")
    with django_capture_on_commit_callbacks(execute=True):
        for article in articles:
            article.featured_image.save("p.jpg", jpeg(1000, 600), save=True)
    home = client.get("/")
    assert len(select(home, '[loading="lazy"]')) == 2
    assert len(select(home, '[fetchpriority="high"]')) == 1
    assert len(select(home, 'img[width="1000"][height="600"]')) == 3


def test_a_small_image_gets_one_rendition_at_its_own_width(django_capture_on_commit_callbacks):
    article = ArticleFactory(featured_image_alt="Small")
    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image.save("small.jpg", jpeg(300, 200), save=True)
    assert Article.objects.get(pk=article.pk).featured_image_renditions == [300]


def test_until_renditions_exist_the_original_is_shown(client):
    article = ArticleFactory(featured_image_alt="Original")
    Article.objects.filter(pk=article.pk).update(
        featured_image="articles/x.jpg", featured_image_width=800, featured_image_height=400
    )
    [img] = select(client.get(article.get_absolute_url()), 'img[src="/media/articles/x.jpg"]')
    assert (img["alt"], img["width"], img["height"]) == ("Original", "800", "400")
