"""The article editor in Chromium, as an Editor and as an Author, at desktop and tablet sizes:
the toolbar and its shortcuts, uploads that ask for a description, failed uploads explained
beside the text (which stays as it was), the 2,560 px scaling, and the media library."""

import io
import re

import pytest
from PIL import Image

from articles.models import Article
from images.models import MediaImage
from tests.browser.conftest import serious_violations
from tests.browser.test_staff import staff_page  # noqa: F401  (the fixture)
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.images.test_library import png_header_only

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {"Editors": "edna", "Authors": "sam"}


def jpeg(width, height, colour=(40, 120, 150)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def a_file(name, mime, data):
    return {"name": name, "mimeType": mime, "buffer": data}


@pytest.fixture
def csp_violations(request):
    """Console reports of anything the Content-Security-Policy refused, on pages given to it."""
    found = []

    def watch(page):
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and found.append(f"{page.url}: {message.text} {message.location}")
            ),
        )
        return page

    watch.found = found
    return watch


def no_serious_violations(page, axe, where):
    assert serious_violations(axe.run(page)) == [], where


def upload_and_describe(page, data, name, description):
    page.get_by_label("Upload image").set_input_files(a_file(name, "image/jpeg", data))
    dialog = page.get_by_role("dialog", name="Describe this image")
    dialog.wait_for()
    dialog.get_by_label("Description (required)").fill(description)
    dialog.get_by_role("button", name="Insert image").click()
    dialog.wait_for(state="hidden")


# Each group and each size once (staff_page's sizes), not every pairing: each costs a browser run.
@pytest.mark.parametrize(
    ("group", "staff_page"),
    [("Editors", "desktop"), ("Authors", "tablet")],
    indirect=["staff_page"],
)
def test_writing_with_the_toolbar_uploads_and_the_library(
    staff_page,  # noqa: F811
    live_server,
    group,
    csp_violations,
    settings,
):
    user = UserFactory(username=ROLES[group], groups=[group])
    AuthorFactory(name="Dr. Maya Test", user=user)
    page = csp_violations(staff_page(user))
    page.get_by_role("link", name="Write an article").click()
    page.get_by_label("Title:").fill("Five stretches for a stiff back")
    body = page.locator("#id_body")
    toolbar = page.get_by_role("toolbar", name="Formatting and images")

    # The toolbar works on the selection; Ctrl+B with none inserts bold text, selected.
    body.fill("Stretch every morning")
    body.press("Control+a")
    toolbar.get_by_role("button", name="Bold").click()
    assert body.input_value() == "**Stretch every morning**"
    body.press("End")
    body.press("Enter")
    body.press("Enter")
    body.press("Control+b")
    page.keyboard.type("gently")
    body.press("End")
    assert body.input_value() == "**Stretch every morning**\n\n**gently**"
    body.press("Enter")
    page.keyboard.type("Cat and cow")
    toolbar.get_by_role("button", name="Numbered list").click()
    assert body.input_value().endswith("**gently**\n\n1. Cat and cow")
    body.press("Enter")  # the list goes on
    page.keyboard.type("Child's pose")
    assert body.input_value().endswith("\n\n1. Cat and cow\n2. Child's pose")
    page.get_by_text("9 words · 1 min read").wait_for()

    # Upload with the button: asked for a description, inserted on a line of its own.
    upload_and_describe(page, jpeg(800, 600), "stretch.jpg", "A woman doing the cat stretch")
    image = MediaImage.objects.get()
    assert image.uploaded_by == user
    inserted = f"![A woman doing the cat stretch]({image.file.url})"
    text = body.input_value()
    assert text == (
        "**Stretch every morning**\n\n**gently**\n\n1. Cat and cow\n2. Child's pose\n\n"
        + inserted
        + "\n"
    )
    page.locator(".markdownx-preview img[alt='A woman doing the cat stretch']").wait_for()

    # Failures say why, next to the editor, and leave the text alone.
    alert = page.locator(".md-editor [role=alert]")
    page.get_by_label("Upload image").set_input_files(
        a_file("referral.pdf", "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    )
    page.get_by_text(
        "“referral.pdf” was not uploaded. This file is a PDF document, not an image"
    ).wait_for()
    assert alert.inner_text().startswith("“referral.pdf” was not uploaded.")
    page.get_by_label("Upload image").set_input_files(
        a_file("panorama.png", "image/png", png_header_only(12_000, 10_000))
    )
    page.get_by_text("the limit is 100 megapixels").wait_for()
    assert "“panorama.png” was not uploaded." in alert.inner_text()
    assert page.get_by_role("dialog").count() == 0 or not page.get_by_role("dialog").is_visible()
    assert body.input_value() == text
    assert MediaImage.objects.count() == 1

    # A photo straight from a camera is taken and scaled down.
    body.press("Control+End")
    upload_and_describe(page, jpeg(6000, 4000), "camera.jpg", "Hiking trail in the hills")
    photo = MediaImage.objects.latest()
    assert (photo.width, photo.height) == (2560, 1707)
    with Image.open(settings.MEDIA_ROOT / photo.file.name) as stored:
        assert stored.size == (2560, 1707)
    assert body.input_value() == text + f"\n![Hiking trail in the hills]({photo.file.url})\n"

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").first.wait_for()
    first = Article.objects.get()
    assert inserted in first.body

    # Another article: the same image chosen again, from the library, as its featured image,
    # and the other one inserted into its text.
    second = ArticleFactory(
        title="Walking after surgery", author=first.author, status=Article.Status.DRAFT,
        published_at=None, body="Walk a little every day.",
    )  # fmt: skip
    page.goto(live_server.url + f"/admin/articles/article/{second.pk}/change/")
    page.locator(".field-featured_from_library").get_by_role(
        "button", name="Choose from library"
    ).click()
    library = page.get_by_role("dialog", name="Choose the featured image")
    library.get_by_role("button", name="A woman doing the cat stretch").click()
    library.wait_for(state="hidden")
    assert page.get_by_label("Featured image description:").input_value() == (
        "A woman doing the cat stretch"
    )
    body = page.locator("#id_body")
    body.press("Control+End")
    page.get_by_role("toolbar").get_by_role("button", name="Choose from library").click()
    library = page.get_by_role("dialog", name="Choose from the library")
    library.get_by_label("Search descriptions and captions").fill("hiking")
    library.get_by_role("button", name="A woman doing the cat stretch").wait_for(state="detached")
    library.get_by_role("button", name="Hiking trail in the hills").click()
    assert body.input_value() == (
        f"Walk a little every day.\n\n![Hiking trail in the hills]({photo.file.url})\n"
    )
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").first.wait_for()
    second.refresh_from_db()
    assert second.featured_image.name == image.file.name
    assert second.featured_image_alt == "A woman doing the cat stretch"
    assert second.featured_image_renditions == [480]  # made from the library's file
    assert MediaImage.objects.count() == 2  # nothing uploaded twice
    assert csp_violations.found == []


def test_the_editor_and_the_media_library_pass_axe(staff_page, live_server, axe):  # noqa: F811
    # (No Content-Security-Policy check here: axe's own injected code sets inline styles.)
    editor = UserFactory(username="edna", groups=["Editors"])
    AuthorFactory(name="Dr. Maya Test", user=editor)
    page = staff_page(editor)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_role("toolbar", name="Formatting and images").wait_for()
    no_serious_violations(page, axe, "add article")
    page.get_by_label("Upload image").set_input_files(
        a_file("spine.jpg", "image/jpeg", jpeg(640, 480))
    )
    dialog = page.get_by_role("dialog", name="Describe this image")
    dialog.get_by_role("button", name="Insert image").click()  # no description yet
    dialog.get_by_text("Describe the image first").wait_for()
    no_serious_violations(page, axe, "the description dialog, asking again")
    dialog.get_by_label("Description (required)").fill("A model of the lumbar spine")
    dialog.get_by_label("Description (required)").press("Enter")
    dialog.wait_for(state="hidden")
    assert (
        "![A model of the lumbar spine](/media/uploads/" in page.locator("#id_body").input_value()
    )
    page.get_by_label("Upload image").set_input_files(
        a_file("scan.pdf", "application/pdf", b"%PDF-1.4")
    )
    page.get_by_text("“scan.pdf” was not uploaded.").wait_for()
    no_serious_violations(page, axe, "add article, after an upload and a refused one")
    page.get_by_label("Title:").fill("The lumbar spine")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved").first.wait_for()
    no_serious_violations(page, axe, "change article")
    page.get_by_role("toolbar").get_by_role("button", name="Choose from library").click()
    page.get_by_role("dialog", name="Choose from the library").get_by_role(
        "button", name="A model of the lumbar spine"
    ).wait_for()
    no_serious_violations(page, axe, "the library dialog")
    page.keyboard.press("Escape")

    page.goto(live_server.url + "/admin/images/mediaimage/")
    page.get_by_role("link", name="A model of the lumbar spine").wait_for()
    no_serious_violations(page, axe, "media library")
    page.get_by_role("link", name="A model of the lumbar spine").click()
    page.locator("img.media-preview").wait_for()
    assert re.search(r"640 × 480 px", page.content())
    no_serious_violations(page, axe, "media library change page")
