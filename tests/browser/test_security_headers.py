"""Issue 11: the Content-Security-Policy is enforced, and no page breaks it. Every public
template and the admin's sign-in, index and article form load in Chromium with a listener for
`securitypolicyviolation` and the console; none may report a violation."""

import pytest
from django.test import Client

from comments.models import Comment
from tests.browser.conftest import serious_violations
from tests.comments.conftest import approved_comment
from tests.factories import ArticleFactory, PageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


@pytest.fixture
def watched(browser):
    """A page whose CSP violations (event and console) are collected in `page.violations()`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTENER)
    page = context.new_page()
    console = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            console.append(message.text)

    page.on("console", on_console)

    def violations():
        return console + page.evaluate("window.__cspViolations")

    page.violations = violations
    yield page
    context.close()


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("load")
    assert response.headers["content-security-policy"]
    return response


def test_public_pages_run_with_no_csp_violation(watched, live_server, settings):
    settings.COMMENTS_MIN_SECONDS = 5  # so that posting at once shows the comment error page
    article = ArticleFactory(title="Walking after back surgery", body="Short walks, often.")
    first = approved_comment(article, user_name="Ana Ortiz", comment="This helped, thank you.")
    approved_comment(article, user_name="Bo Chen", parent_id=first.pk, comment="Same for me.")
    page_row = PageFactory(title="About", slug="about-us")
    base = live_server.url

    for path in (
        "/",
        f"/category/{article.category.slug}/",
        page_row.get_absolute_url(),
        "/?s=walking",
        "/subscribe/",
    ):
        visit(watched, base + path)
        assert watched.violations() == [], path

    visit(watched, base + article.get_absolute_url())
    assert watched.locator(".avatar").count() == Comment.objects.count()
    # The reply form opened by JavaScript (comments.js), and the like button it drives.
    watched.locator(f"#c{first.pk} > .comment-body .comment-reply-link").click()
    assert watched.locator(f"#c{first.pk} #respond").count() == 1
    watched.get_by_label("Name").fill("Cam")
    watched.get_by_label("Email", exact=True).fill("cam@example.org")
    watched.get_by_role("textbox", name="Comment").fill("Posted far too quickly.")
    watched.get_by_role("button", name="Post Comment").click()
    watched.get_by_text("That was quicker than anyone can write").wait_for()
    assert watched.violations() == [], "article, reply form and the comment error page"


def test_the_admin_runs_with_no_csp_violation_and_its_sign_in_is_accessible(
    watched, live_server, axe
):
    article = ArticleFactory(title="Sitting well at work")
    visit(watched, live_server.url + "/admin/login/")
    assert serious_violations(axe.run(watched)) == []
    assert watched.violations() == []

    staff = Client()
    staff.force_login(UserFactory(username="boss", is_superuser=True))
    watched.context.add_cookies(
        [{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in (
        "/admin/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/articles/article/add/",
        "/admin/two-factor/",
    ):
        visit(watched, live_server.url + path)
        assert watched.violations() == [], path
    # The two-factor set-up page's own content (the admin's chrome is issue 12's).
    assert serious_violations(axe.run(watched, context="#content-main")) == []

    # The editor's live preview (markdownx's widget script) runs under the policy too.
    visit(watched, live_server.url + f"/admin/articles/article/{article.pk}/change/")
    watched.locator("textarea[name=body]").fill("## A heading\n\nSome *emphasis*.")
    watched.locator(".markdownx-preview h2").wait_for()
    assert watched.violations() == []


def test_a_violation_is_reported_by_the_listener(watched, live_server):
    # The listener itself works: an inline style without a nonce is refused and reported.
    visit(watched, live_server.url + "/subscribe/")
    watched.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{color:red}';"
        " document.head.appendChild(s); }"
    )
    watched.wait_for_function("window.__cspViolations.length > 0")
    assert any("style-src" in v for v in watched.violations())
