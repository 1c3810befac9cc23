"""Never losing work, and the history, in Chromium: as an Editor and as an Author, at desktop
and tablet sizes. Autosave, the question before leaving unsaved changes, the diff and a restore
that mails nobody, and an article list that fits a tablet."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Autosave
from subscriptions.models import Delivery
from tests.browser.conftest import serious_violations
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 900), "tablet": (820, 1180)}
ROLES = {"editor": "Editors", "author": "Authors"}
PASSWORD = "correct horse battery staple"


# Each role and each size once, not every pairing: what differs by role (what an Author may do)
# and by size (the layout) does not depend on the other, and each pairing costs a browser run.
PAIRS = [("editor", "desktop"), ("author", "tablet")]


@pytest.fixture(params=PAIRS, ids="-".join)
def staff(request, browser, live_server):
    """A signed-in browser context and the staff member's own Author."""
    role, size = request.param
    width, height = SIZES[size]
    user = UserFactory(username=f"{role}1", groups=[ROLES[role]], first_name=role.title())
    writer = AuthorFactory(name=f"{role.title()} Writer", user=user)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    yield context, page, writer
    context.close()


def no_serious_violations(page, axe, where):
    assert serious_violations(axe.run(page)) == [], where


def test_typed_text_is_autosaved_offered_back_and_leaving_asks_first(staff, live_server, axe):
    context, page, writer = staff
    article = ArticleFactory(author=writer, title="Walking after surgery", body="Walk a little.")
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(change_url)
    body = page.locator("#id_body")
    body.click()
    body.press("End")
    body.press_sequentially(" Then a little more each day.")
    page.get_by_text("Autosaved at").wait_for()
    assert Article.objects.get(pk=article.pk).body == "Walk a little."  # the article is untouched
    assert Autosave.objects.get().fields["body"] == "Walk a little. Then a little more each day."

    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator("div.breadcrumbs").get_by_role("link", name="Home").click()
    assert asked == ["beforeunload"]
    assert page.url == change_url

    page.close()  # closing the tab without saving (and without the question)
    page = context.new_page()
    page.goto(change_url)
    page.get_by_text("Restore the text you were writing at").wait_for()
    no_serious_violations(page, axe, "change article with the autosave offer")
    assert page.locator("#id_body").input_value() == "Walk a little."
    page.get_by_role("button", name="Restore it").click()
    assert page.locator("#id_body").input_value() == "Walk a little. Then a little more each day."
    page.get_by_role("button", name="Update").click()
    page.get_by_text("Updated").first.wait_for()
    assert Article.objects.get(pk=article.pk).body.endswith("a little more each day.")
    page.reload()
    page.get_by_role("button", name="Update").wait_for()
    assert page.get_by_text("Restore the text you were writing at").count() == 0


def test_a_new_article_is_autosaved_without_being_created(staff, live_server, axe):
    context, page, _writer = staff
    page.goto(live_server.url + "/admin/articles/article/add/")
    no_serious_violations(page, axe, "add article")
    page.get_by_label("Title:").press_sequentially("Sleeping positions")
    page.get_by_text("Autosaved at").wait_for()
    assert not Article.objects.exists()
    page.close()
    page = context.new_page()
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_role("button", name="Discard it").click()
    page.get_by_text("The autosaved text was discarded.").wait_for()
    assert not Autosave.objects.exists()


def test_two_edits_are_compared_and_the_first_restored_without_mail(
    staff, live_server, smtp_server, settings, axe
):
    settings.SITE_URL = live_server.url
    _context, page, writer = staff
    article = ArticleFactory(author=writer, title="Core exercises", body="The original text.")
    FollowerFactory(email="reader@example.net")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    for text in ["Plank for twenty seconds.", "Plank for a minute, twice a day."]:
        page.locator("#id_body").fill(text)
        page.get_by_role("button", name="Update").click()
        page.get_by_text("Updated: the changes are on the site now.").wait_for()

    page.get_by_role("link", name="History").click()
    page.get_by_role("heading", name="History of “Core exercises”").wait_for()
    no_serious_violations(page, axe, "history")
    page.get_by_role("link", name="See what changed").first.click()
    page.locator("li.diff-removed del", has_text="twenty").wait_for()
    assert "a minute" in page.locator("li.diff-added").inner_text()
    no_serious_violations(page, axe, "diff")
    page.get_by_role("button", name="Restore the version of").click()
    page.get_by_text("Restored the version of").wait_for()

    reader = page.context.browser.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    assert "Plank for twenty seconds." in reader.locator("article").first.inner_text()
    reader.close()
    article.refresh_from_db()
    assert (article.status, article.published_at.date()) == (
        Article.Status.PUBLISHED, timezone.localtime(article.published_at).date(),
    )  # fmt: skip
    assert Delivery.objects.count() == 0
    assert smtp_server.messages == []


def test_the_article_list_fits_without_sideways_scrolling(staff, live_server, axe):
    _context, page, writer = staff
    now = timezone.now()
    ArticleFactory(author=writer, title="A scheduled article about herniated discs and healing",
                   published_at=now + datetime.timedelta(days=3))  # fmt: skip
    ArticleFactory(author=writer, title="Ready for review: neck stretches at the desk",
                   status=Article.Status.REVIEW, published_at=None)  # fmt: skip
    ArticleFactory(author=writer, title="A published article", published_at=now)
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="Scheduled", exact=True).click()
    page.get_by_role(
        "link", name="A scheduled article about herniated discs and healing", exact=True
    ).wait_for()
    page.get_by_role("link", name="Mine").click()
    page.get_by_role("link", name="All", exact=True).first.click()
    page.get_by_role("link", name="A published article", exact=True).wait_for()
    fits = page.evaluate(
        "[document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth,"
        " document.querySelector('.results').scrollWidth"
        " <= document.querySelector('.results').clientWidth]"
    )
    assert fits == [True, True]
    assert page.get_by_role("link", name="View on site: A published article").is_visible()
    no_serious_violations(page, axe, "article list")
