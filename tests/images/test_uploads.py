import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django.asserts import assertContains

from tests.factories import UserFactory
from tests.pages import nowhere, text

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/markdownx/upload/"


def image_bytes(fmt="PNG", size=(40, 30), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 140)).save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(client, name, data, content_type="image/png"):
    return client.post(
        UPLOAD_URL,
        {"image": SimpleUploadedFile(name, data, content_type=content_type)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


def test_a_valid_image_is_reencoded_and_named_by_its_real_format(staff_client, settings):
    # A PNG claiming to be a JPEG is stored as what it is.
    response = upload(staff_client, "holiday.jpg", image_bytes("PNG"), "image/jpeg")
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".png)")
    stored = settings.MEDIA_ROOT / code[len("![](/media/") : -1]
    assert Image.open(stored).format == "PNG"


def test_exif_is_stripped_from_jpegs(staff_client, settings):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    response = upload(
        staff_client, "photo.jpg", image_bytes("JPEG", exif=exif.tobytes()), "image/jpeg"
    )
    stored = settings.MEDIA_ROOT / response.json()["image_code"][len("![](/media/") : -1]
    assert not Image.open(stored).getexif()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("notes.png", b"this is not an image at all", "image/png", "not an image"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
            "image/svg+xml",
            "not an image",
        ),
        ("big.png", b"\x89PNG" + b"0" * (25 * 1024 * 1024 + 1), "image/png", "at most 25"),
        ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf", "a PDF document"),
        ("notes.docx", b"PK\x03\x04" + b"0" * 100, "image/jpeg", "Word, Excel or ZIP"),
        ("cut.png", image_bytes("PNG", (400, 400))[:200], "image/png", "damaged"),
        ("anim.bmp", image_bytes("BMP"), "image/bmp", "not accepted"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(
    staff_client, settings, name, data, content_type, message
):
    response = upload(staff_client, name, data, content_type)
    assert response.status_code == 400
    assert message in " ".join(response.json()["image"])
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(staff_client):
    # A tiny file that claims 20,000 × 20,000 pixels.
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 5 * 1024 * 1024
    response = upload(staff_client, "bomb.png", buffer.getvalue())
    assert response.status_code == 400
    assert "megapixels" in " ".join(response.json()["image"])


def test_anonymous_and_non_staff_cannot_upload_or_preview(client):
    assert upload(client, "a.png", image_bytes()).status_code == 302
    assert client.post("/markdownx/markdownify/", {"content": "hi"}).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert upload(client, "a.png", image_bytes()).status_code == 302


def test_preview_is_sanitised_and_size_capped(staff_client, settings):
    response = staff_client.post(
        "/markdownx/markdownify/", {"content": "**bold** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    assertContains(response, "<strong>bold</strong>", html=True)
    assert nowhere(response, "script")
    too_long = "a" * (settings.MARKDOWN_PREVIEW_MAX_CHARS + 1)
    response = staff_client.post("/markdownx/markdownify/", {"content": too_long})
    assert response.status_code == 413
    assert "longer than" in text(response)
