"""Media on object storage (MEDIA_STORAGE=s3, issue 15): uploads, the media library, renditions
and backups reach the files only through the storage API, so with django-storages they live in
an S3-compatible bucket, here moto's emulator on loopback (tests/object_storage.py), and pages
name them there. Nothing is written to MEDIA_ROOT."""

import io
import tarfile
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from images.models import MediaImage
from images.renditions import rendition_name
from ops import backup
from tests.factories import ArticleFactory
from tests.images.test_library import PICKER_URL, describe, photo, upload
from tests.pages import attrs, one
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db

RENDITIONS = ("480w.webp", "480w.jpg", "960w.webp", "960w.jpg")


def fetched(url):
    """The picture a reader's browser gets at `url`: (format, width, height)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        with Image.open(io.BytesIO(response.read())) as image:
            return image.format, image.width, image.height


def test_an_editor_upload_and_its_renditions_are_stored_in_the_bucket_and_read_from_there(
    editor_client, object_storage, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor_client, photo(1200, 800))
    assert response.status_code == 200
    image = MediaImage.objects.get()
    assert image.file_renditions == [480, 960]
    name = image.file.name
    assert object_storage.keys() == sorted(
        [name, *(rendition_name(name, w, e) for w in (480, 960) for e in ("webp", "jpg"))]
    )
    assert not settings.MEDIA_ROOT.exists()  # nothing on this machine's disk

    url = response.json()["url"]
    assert url == object_storage.url + name
    assert fetched(url) == ("JPEG", 1200, 800)
    # Described, the editor inserts the bucket's address; the library's thumbnail is there too.
    markdown = describe(editor_client, image, "A model of the lumbar spine").json()["markdown"]
    assert markdown == f"![A model of the lumbar spine]({url})"
    [listed] = editor_client.get(PICKER_URL).json()["images"]
    assert listed["thumb"] == object_storage.url + rendition_name(name, 480, "jpg")
    assert fetched(listed["thumb"]) == ("JPEG", 480, 320)


def test_an_articles_picture_is_served_from_the_bucket_in_every_rendition(
    client, object_storage, django_capture_on_commit_callbacks
):
    article = ArticleFactory(featured_image_alt="A calm river")
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), (40, 110, 130)).save(buffer, "JPEG")
    with django_capture_on_commit_callbacks(execute=True):
        article.featured_image.save("river.jpg", ContentFile(buffer.getvalue()), save=True)

    response = client.get(article.get_absolute_url())
    figure = one(response, "figure.featured-image")
    sources = [
        candidate.split()[0]
        for srcset in attrs(figure, "[srcset]", "srcset")
        for candidate in srcset.split(", ")
    ]
    assert sorted(url.rsplit("-", 1)[1] for url in sources) == sorted(RENDITIONS)
    for url in sources:
        assert url.startswith(object_storage.url)
        assert fetched(url)[0] in {"WEBP", "JPEG"}
    assert figure.select_one("img")["src"].startswith(object_storage.url)


def test_a_backup_keeps_the_buckets_files_and_a_restore_puts_them_back(
    object_storage, tmp_path, settings
):
    default_storage.save("uploads/2026/12/a.jpg", ContentFile(photo(40, 30)))
    default_storage.save("renditions/uploads/2026/12/a-40w.webp", ContentFile(b"webp bytes"))
    tar = backup.backup_media(tmp_path / "site.media.tar.gz")
    with tarfile.open(tar) as archive:
        assert sorted(archive.getnames()) == object_storage.keys()

    # A bucket that lost one file and had another change keeps what the backup did not know.
    default_storage.delete("uploads/2026/12/a.jpg")
    default_storage.delete("renditions/uploads/2026/12/a-40w.webp")
    default_storage.save("renditions/uploads/2026/12/a-40w.webp", ContentFile(b"newer"))
    default_storage.save("uploads/2026/12/later.jpg", ContentFile(b"uploaded after"))
    backup.restore_media(tar)
    assert object_storage.keys() == [
        "renditions/uploads/2026/12/a-40w.webp",
        "uploads/2026/12/a.jpg",
        "uploads/2026/12/later.jpg",
    ]
    assert object_storage.read("uploads/2026/12/a.jpg") == photo(40, 30)
    assert object_storage.read("renditions/uploads/2026/12/a-40w.webp") == b"webp bytes"
    assert not settings.MEDIA_ROOT.exists()


def test_media_storage_s3_is_the_bucket_the_variables_name_and_pages_may_load_from_it(
    object_storage,
):
    code = (
        "from django.conf import settings; from django.core.files.storage import storages;"
        "print(type(storages['default']).__name__, storages['default'].bucket_name,"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'][-1])"
    )
    result = run_django(code, DEBUG="1", **object_storage.env)
    assert result.stdout.split() == ["S3Storage", "backstory-media", object_storage.endpoint]


def test_media_storage_s3_without_a_bucket_stops_start_up_with_a_clear_message():
    result = run_django(DEBUG="1", MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr
    result = run_django(DEBUG="1", MEDIA_STORAGE="ftp")
    assert "MEDIA_STORAGE must be local or s3; got 'ftp'" in result.stderr
