"""Patient education in Chromium: the editor's readability panel follows the text as staff type,
and an article's printable handout (with its callout, glossary and references) has no serious
accessibility violations."""

import pytest

from education.models import CareCallout, GlossaryTerm, Reference
from tests.browser.conftest import serious_violations
from tests.education.texts import EASY, HARD
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def test_the_readability_panel_follows_the_text_as_staff_type(page, live_server):
    GlossaryTerm.objects.create(term="laminectomy", explanation="an operation to free a nerve")
    user = UserFactory(username="edna", groups=["Editors"])
    article = ArticleFactory(body=EASY, author=AuthorFactory(user=user))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    panel = page.locator(".readability")
    grade = panel.locator('[data-field="grade"]')
    assert float(grade.inner_text()) < 6
    assert panel.locator('[data-field="glossary"]').inner_text() == "None."

    page.locator("#id_body").fill(HARD)
    panel.get_by_text("Above the target").wait_for()
    assert float(grade.inner_text()) > 12
    assert panel.locator('[data-field="glossary"] dt').inner_text() == "laminectomy"
    assert "an operation to free a nerve" in panel.locator('[data-field="glossary"]').inner_text()

    page.locator("#id_body").fill(EASY)
    panel.get_by_text("At or under the target.").wait_for()
    assert float(grade.inner_text()) < 6


def test_the_handout_has_no_serious_accessibility_violations(page, live_server, axe):
    GlossaryTerm.objects.create(term="sciatica", explanation="pain along the nerve down the leg")
    CareCallout.objects.create(
        title="Signs of cauda equina syndrome",
        slug="cauda-equina",
        body="Go to an emergency department now if you have numbness between your legs or new "
        "trouble passing urine.",
    )
    article = ArticleFactory(
        body="## What it is\n\nSciatica is leg pain from a nerve in the back [1].\n\n"
        "[[seek-care:cauda-equina]]\n"
    )
    Reference.objects.create(
        article=article, number=1, title="Leg pain from the back", publisher="Example Press",
        year=2022, doi="10.5555/example.1", pmid="1234567",
    )  # fmt: skip
    article.render_again()
    for url in (article.get_absolute_url() + "print/", article.get_absolute_url()):
        page.goto(live_server.url + url)
        page.locator("aside.seek-care").wait_for()
        assert serious_violations(axe.run(page)) == [], url
    page.emulate_media(media="print")
    page.goto(live_server.url + article.get_absolute_url() + "print/")
    border = page.locator("aside.seek-care").evaluate("e => getComputedStyle(e).borderTopWidth")
    assert float(border.removesuffix("px")) >= 3
    assert page.locator(".handout-screen-only").is_hidden()
