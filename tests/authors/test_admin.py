"""Staff edit authors in the admin: Editors add and change them, Authors only look."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from authors.models import Author
from tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/authors/author/add/"


def upload(width, height, name="portrait.jpg", fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 90, 60)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def author_form(**overrides):
    data = {
        "name": "Dr. Lena Park",
        "slug": "lena-park",
        "credentials": "DO",
        "bio": "Physiatrist. Likes **walking**.",
        "x_handle": "lenapark",
        "website": "https://example.org/lena/",
        "user": "",
    }
    data.update(overrides)
    return data


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        row.find("label")["for"].removeprefix("id_"): row.select_one(".errorlist").get_text(" ")
        for row in soup.select(".form-row.errors")
        if row.find("label")
    }


def test_an_editor_adds_an_author_with_a_photo(
    editor_client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(ADD_URL, author_form(photo=upload(1600, 1200)))
    assert response.status_code == 302
    author = Author.objects.get(slug="lena-park")
    assert author.byline == "Dr. Lena Park, DO"
    assert "<strong>walking</strong>" in author.bio_html
    # Scaled to the photo's limit of 800 px, re-encoded, measured and rendered.
    assert (author.photo_width, author.photo_height) == (800, 600)
    with Image.open(settings.MEDIA_ROOT / author.photo.name) as stored:
        assert stored.size == (800, 600)
    assert author.photo_renditions == [480]


def test_replacing_a_photo_makes_new_renditions(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(ADD_URL, author_form(photo=upload(500, 500)))
    author = Author.objects.get(slug="lena-park")
    assert author.photo_renditions == [480]
    old_name = author.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/authors/author/{author.pk}/change/",
            author_form(photo=upload(300, 200, name="smaller.jpg")),
        )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.photo.name != old_name
    assert (author.photo_width, author.photo_height, author.photo_renditions) == (300, 200, [300])


def test_name_and_slug_are_required_and_handles_and_photos_are_checked(editor_client):
    response = editor_client.post(ADD_URL, author_form(name="", slug="", x_handle="@not valid!"))
    assert response.status_code == 200
    found = errors(response)
    assert set(found) == {"name", "slug", "x_handle"}
    assert "Letters, digits and underscores, without @." in found["x_handle"]

    not_an_image = SimpleUploadedFile("photo.jpg", b"not a picture", content_type="image/jpeg")
    response = editor_client.post(ADD_URL, author_form(photo=not_an_image))
    assert response.status_code == 200
    assert "not an image" in errors(response)["photo"]
    assert not Author.objects.exists()


def test_a_slug_already_taken_is_refused(editor_client):
    AuthorFactory(slug="lena-park")
    response = editor_client.post(ADD_URL, author_form())
    assert response.status_code == 200
    assert "slug" in errors(response)
    assert Author.objects.count() == 1


def test_the_authors_group_may_look_but_not_add_or_change(client, author_user):
    author = AuthorFactory(name="Dr. Unchanged")
    client.force_login(author_user)
    listing = BeautifulSoup(client.get("/admin/authors/author/").content, "html.parser")
    assert listing.find("a", string="Dr. Unchanged")
    assert client.get(ADD_URL).status_code == 403
    change_url = f"/admin/authors/author/{author.pk}/change/"
    view = BeautifulSoup(client.get(change_url).content, "html.parser")
    assert view.find("input", attrs={"name": "_save"}) is None  # shown read-only
    response = client.post(change_url, author_form(name="Dr. Changed"))
    assert response.status_code == 403
    assert Author.objects.get(pk=author.pk).name == "Dr. Unchanged"


def test_staff_outside_the_groups_cannot_open_authors(client):
    client.force_login(UserFactory(username="receptionist"))
    assert client.get("/admin/authors/author/").status_code == 403
    assert client.get(ADD_URL).status_code == 403
