"""The staff side in Chromium, as an Editor and as an Author, at desktop and tablet sizes (and
the dashboard on a phone)."""

import pytest
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.browser.conftest import serious_violations
from tests.factories import ArticleFactory, AuthorFactory, UserFactory
from tests.pages import text
from tests.subscriptions.factories import FollowerFactory

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"desktop": (1280, 900), "tablet": (820, 1180)}
PASSWORD = "correct horse battery staple"


@pytest.fixture(params=list(SIZES))
def staff_page(request, browser, live_server):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()

    def sign_in(user):
        page.goto(live_server.url + "/admin/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("heading", name="Dashboard").wait_for()
        return page

    yield sign_in
    context.close()


def no_serious_violations(page, axe, where):
    found = serious_violations(axe.run(page))
    assert found == [], where


def test_an_editor_publishes_after_a_confirmation_and_a_test_mail_to_herself(
    staff_page, live_server, smtp_server, settings, axe
):
    settings.SITE_URL = live_server.url
    editor = UserFactory(username="edna", groups=["Editors"], email="edna@example.org")
    AuthorFactory(name="Dr. Maya Test")
    FollowerFactory(email="one@example.net")
    FollowerFactory(email="two@example.net")
    page = staff_page(editor)
    no_serious_violations(page, axe, "dashboard")

    page.get_by_role("link", name="Write an article").click()
    page.get_by_label("Title:").fill("Five ways to protect your back in the garden")
    page.locator("#id_body").fill("Bend your knees, not your back.\n\nTake breaks often.")
    page.get_by_label("Author:").select_option(label="Dr. Maya Test, MD")
    no_serious_violations(page, axe, "add article")
    page.get_by_role("button", name="Publish now…").click()

    page.get_by_text("2 followers will be mailed within a minute").wait_for()
    no_serious_violations(page, axe, "confirmation")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    page.get_by_role("button", name="Send me a test email").click()
    page.get_by_text("A test email is on its way to edna@example.org").wait_for()
    assert smtp_server.wait_for(1)
    assert smtp_server.count_to() == {"edna@example.org": 1}
    assert smtp_server.messages[0][1]["Subject"] == "Test: " + article.title

    page.get_by_role("button", name="Publish now", exact=True).click()
    page.get_by_text("2 followers will be mailed now.").wait_for()
    assert smtp_server.wait_for(3)
    assert smtp_server.count_to() == {
        "edna@example.org": 1, "one@example.net": 1, "two@example.net": 1,
    }  # fmt: skip
    no_serious_violations(page, axe, "change article")
    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role(
        "link", name="Five ways to protect your back in the garden", exact=True
    ).wait_for()
    no_serious_violations(page, axe, "article list")


def test_an_editor_approves_and_replies_to_a_held_comment_from_the_dashboard(
    staff_page, live_server, axe
):
    editor = UserFactory(username="edna", groups=["Editors"], first_name="Edna", last_name="M")
    article = ArticleFactory(title="Living with sciatica")
    held = []
    for name in ["Jordan", "Casey"]:
        comment = Comment(
            content_object=article, site_id=1, user_name=name, user_email=f"{name}@example.org",
            comment=f"{name} asks: does walking help?", submit_date=timezone.now(),
        )  # fmt: skip
        comment.save()
        comment.set_status(Comment.Status.PENDING)
        held.append(comment)
    page = staff_page(editor)
    queue = page.locator("#held-comments")
    assert queue.locator("[data-waiting-count]").inner_text() == "2"
    no_serious_violations(page, axe, "dashboard with held comments")

    queue.get_by_role("button", name="Approve Jordan’s comment").click()
    page.get_by_text("Jordan’s comment approved.").first.wait_for()
    assert queue.locator("[data-waiting-count]").inner_text() == "1"
    held[0].refresh_from_db()
    assert held[0].is_public

    queue.get_by_role("link", name="Reply to Casey").click()
    assert "never confirm or suggest that a commenter is a patient" in text(
        page.content(), "#content"
    )
    no_serious_violations(page, axe, "reply")
    page.get_by_label("Your reply").fill("Yes: short, regular walks help most people.")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply to Casey is published").wait_for()
    answer = Comment.objects.get(parent_id=held[1].pk, level=1)
    assert answer.is_public

    page.goto(live_server.url + article.get_absolute_url())
    nested = page.locator(f"#c{held[1].pk} > ol.children > #c{answer.pk}")
    assert "short, regular walks" in nested.inner_text()

    page.goto(live_server.url + "/admin/comments/comment/")
    no_serious_violations(page, axe, "comment moderation")


def test_an_author_submits_for_review_and_cannot_publish(staff_page, live_server, axe):
    writer = UserFactory(username="sam", groups=["Authors"])
    AuthorFactory(name="Sam Writer", user=writer)
    page = staff_page(writer)
    page.get_by_role("link", name="Write an article").click()
    assert page.get_by_role("button", name="Publish now…").count() == 0
    assert page.get_by_role("button", name="Schedule…").count() == 0
    page.get_by_label("Title:").fill("Stretches for desk workers")
    page.locator("#id_body").fill("Stand up every half hour.")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review: an Editor will publish or schedule it.").wait_for()
    no_serious_violations(page, axe, "author's change article")
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/publish/publish/")
    assert Article.objects.get().status == Article.Status.REVIEW
    page.goto(live_server.url + "/admin/")
    assert "Stretches for desk workers" in page.locator("#review").inner_text()


def test_the_dashboard_is_one_column_on_a_phone(browser, live_server):
    # The app list once stayed beside the panels on a phone, squeezing them to 60 px.
    UserFactory(username="edna", groups=["Editors"])
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("edna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Dashboard").wait_for()
    main = page.locator("#content-main").bounding_box()
    apps = page.locator("#content-related").bounding_box()
    context.close()
    assert main["width"] > 300
    assert apps["y"] >= main["y"] + main["height"]  # the app list comes after, not beside
