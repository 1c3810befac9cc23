"""The media library: editor uploads become rows, are described before use, are listed for the
editor's "Choose from library", and can be an article's featured image without a new upload."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from images.models import MediaImage
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/markdownx/upload/"
PICKER_URL = "/admin/images/mediaimage/picker/"


def photo(width, height, fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (160, 110, 80)).save(buffer, fmt)
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG that claims width×height pixels and holds almost nothing: a decompression bomb."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(client, data, name="photo.jpg"):
    return client.post(
        UPLOAD_URL,
        {"image": SimpleUploadedFile(name, data, content_type="image/jpeg")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def describe(client, image, description):
    return client.post(
        f"/admin/images/mediaimage/{image.pk}/describe/",
        {"description": description},
        content_type="application/json",
    )


@pytest.mark.parametrize("group", ["Editors", "Authors"])
def test_an_editor_upload_becomes_a_library_row_awaiting_its_description(client, group):
    user = UserFactory(groups=[group])
    client.force_login(user)
    response = upload(client, photo(800, 600))
    assert response.status_code == 200
    image = MediaImage.objects.get()
    assert (image.uploaded_by, image.width, image.height, image.description) == (user, 800, 600, "")
    assert response.json()["url"] == image.file.url
    assert response.json()["markdown"] == ""  # nothing to insert until it is described

    response = describe(client, image, "  A surgeon  explaining a spine model ")
    assert response.status_code == 200
    assert response.json()["markdown"] == f"![A surgeon explaining a spine model]({image.file.url})"
    image.refresh_from_db()
    assert image.description == "A surgeon explaining a spine model"


def test_a_6000_by_4000_photo_is_stored_at_2560_pixels_on_the_long_side(editor_client, settings):
    response = upload(editor_client, photo(6000, 4000))
    assert response.status_code == 200
    image = MediaImage.objects.get()
    assert (image.width, image.height) == (2560, 1707)
    with Image.open(settings.MEDIA_ROOT / image.file.name) as stored:
        assert stored.size == (2560, 1707)


def test_more_than_100_megapixels_is_refused_before_decoding_and_nothing_is_stored(editor_client):
    response = upload(editor_client, png_header_only(12_000, 10_000), name="huge.png")
    assert response.status_code == 400
    message = " ".join(response.json()["image"])
    assert "12,000×10,000 pixels (120 megapixels); the limit is 100 megapixels" in message
    assert not MediaImage.objects.exists()


def test_a_description_is_required_and_only_staff_with_the_permission_may_give_it(
    client, editor_client
):
    upload(editor_client, photo(40, 30))
    image = MediaImage.objects.get()
    response = describe(editor_client, image, "   ")
    assert response.status_code == 400
    assert response.json()["error"] == "Describe the image before inserting it."
    assert describe(editor_client, image, "x" * 251).status_code == 400

    client.force_login(UserFactory(username="intern"))  # staff, in no group
    assert describe(client, image, "Mine now").status_code == 403
    assert upload(client, photo(40, 30)).status_code == 403
    image.refresh_from_db()
    assert image.description == ""


def test_the_picker_lists_the_library_newest_first_and_searches_descriptions(editor_client):
    for description in ["Lumbar spine model", "Physiotherapy session", ""]:
        upload(editor_client, photo(40, 30))
        image = MediaImage.objects.latest()
        if description:
            describe(editor_client, image, description)
    listed = editor_client.get(PICKER_URL).json()["images"]
    assert [i["description"] for i in listed] == ["", "Physiotherapy session", "Lumbar spine model"]
    found = editor_client.get(PICKER_URL, {"q": "spine"}).json()["images"]
    assert [i["description"] for i in found] == ["Lumbar spine model"]
    assert found[0]["markdown"].startswith("![Lumbar spine model](/media/uploads/")


def test_the_library_admin_lists_thumbnails_and_searches(editor_client):
    upload(editor_client, photo(400, 300))
    describe(editor_client, MediaImage.objects.get(), "Walking after surgery")
    response = editor_client.get("/admin/images/mediaimage/", {"q": "walking"})
    assert response.status_code == 200
    assert b'class="media-thumb"' in response.content
    assert b"Walking after surgery" in response.content
    assert b"400 \xc3\x97 300 px" in response.content


def test_a_library_image_becomes_another_articles_featured_image_without_a_new_upload(
    editor_client, django_capture_on_commit_callbacks, settings
):
    upload(editor_client, photo(1200, 800))
    image = MediaImage.objects.get()
    describe(editor_client, image, "A patient stretching her hamstrings")
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    author = AuthorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/article/{article.pk}/change/",
            {
                "title": article.title, "slug": article.slug, "body": article.body,
                "author": author.pk, "category": article.category.pk,
                "featured_from_library": image.pk, "featured_image_alt": "",
                "comments_open": "on", "_save": "Save draft",
            },
        )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.featured_image.name == image.file.name
    assert article.featured_image_alt == "A patient stretching her hamstrings"
    assert (article.featured_image_width, article.featured_image_height) == (1200, 800)
    # The article's own renditions, made by the usual pipeline from the library's file.
    assert article.featured_image_renditions == [480, 960]
    assert MediaImage.objects.count() == 1


def test_a_featured_image_uploaded_on_the_article_form_joins_the_library(
    editor_client, editor, django_capture_on_commit_callbacks
):
    author = AuthorFactory()
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, author=author)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/article/{article.pk}/change/",
            {
                "title": article.title, "slug": article.slug, "body": article.body,
                "author": author.pk, "category": article.category.pk,
                "featured_image": SimpleUploadedFile("hero.jpg", photo(900, 600)),
                "featured_image_alt": "A surgeon at a whiteboard", "comments_open": "on",
                "_save": "Save draft",
            },
        )  # fmt: skip
    assert response.status_code == 302
    article.refresh_from_db()
    image = MediaImage.objects.get()
    assert image.file.name == article.featured_image.name
    assert (image.description, image.uploaded_by, image.width, image.height) == (
        "A surgeon at a whiteboard", editor, 900, 600,
    )  # fmt: skip
    assert image.file_renditions == [480]
