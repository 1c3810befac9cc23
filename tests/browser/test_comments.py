import pytest

from comments.models import Comment
from comments.policy import approve
from tests.browser.conftest import serious_violations
from tests.comments.conftest import links_in, path_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_guest_comments_confirms_by_mail_and_a_reply_nests_under_it(
    page, live_server, smtp_server, settings, axe
):
    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory(title="Living with sciatica")
    page.goto(live_server.url + article.get_absolute_url())
    assert serious_violations(axe.run(page, context="#respond")) == []

    page.get_by_label("Name").fill("Jordan")
    page.get_by_label("Email", exact=True).fill("jordan@example.org")
    page.get_by_role("textbox", name="Comment").fill("Walking every day has helped me the most.")
    page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("heading", name="Please confirm your email address").wait_for()

    assert smtp_server.wait_for(1)
    [url] = [u for u in links_in(smtp_server.to("jordan@example.org")[0]) if "/confirm/" in u]
    page.goto(live_server.url + path_of(url))
    page.get_by_role("button", name="Confirm my comment").click()
    page.get_by_role("heading", name="Your comment is awaiting moderation").wait_for()
    first = Comment.objects.get()
    approve(first)  # staff approve a first comment from a new address

    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#c{first.pk} .comment-reply-link").click()
    # With JavaScript the form moves under the comment instead of opening the reply page.
    assert page.locator(f"#c{first.pk} #respond").count() == 1
    page.get_by_label("Name").fill("Jordan")
    page.get_by_label("Email", exact=True).fill("jordan@example.org")
    page.get_by_role("textbox", name="Comment").fill("Update: six weeks on, even better.")
    page.get_by_role("button", name="Post Comment").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#c*")

    reply = Comment.objects.latest("pk")
    assert reply.status == Comment.Status.APPROVED  # this browser confirmed the address
    nested = page.locator(f"#c{first.pk} > ol.children > #c{reply.pk}")
    assert "six weeks on" in nested.inner_text()
    assert serious_violations(axe.run(page)) == []


def test_the_health_guard_warns_before_posting_and_post_anyway_holds_the_comment(
    page, live_server, settings, axe
):
    from django.core.signing import get_cookie_signer

    from comments.models import email_digest
    from comments.views import CONFIRMED_COOKIE, CONFIRMED_SALT

    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory(title="After a microdiscectomy")
    # This browser confirmed its address before: what holds the comment is its text alone.
    signed = get_cookie_signer(salt=CONFIRMED_COOKIE + CONFIRMED_SALT).sign(
        email_digest("lee@example.org")
    )
    page.context.add_cookies([{"name": CONFIRMED_COOKIE, "value": signed, "url": live_server.url}])
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_label("Name").fill("Lee")
    page.get_by_label("Email", exact=True).fill("lee@example.org")
    comment = page.get_by_role("textbox", name="Comment")
    comment.fill("My surgery is on Monday, text me on (505) 555-0187 if you had it too.")
    page.get_by_role("button", name="Post Comment").click()

    warning = page.get_by_role("alert").filter(has_text="personal health or contact details")
    warning.wait_for()
    assert "A phone number: “(505) 555-0187”" in warning.inner_text()
    assert page.evaluate("document.activeElement.className") == "health-warning"
    assert serious_violations(axe.run(page, context="#respond")) == []
    assert not Comment.objects.exists()

    page.get_by_role("link", name="Edit my comment").click()  # back to the text, warning gone
    assert warning.count() == 0
    assert page.evaluate("document.activeElement.name") == "comment"
    page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("button", name="Post anyway").click()
    page.get_by_role("heading", name="Your comment is awaiting moderation").wait_for()
    held = Comment.objects.get()
    assert held.status == Comment.Status.PENDING
    assert held.hold_reason.startswith("may contain personal health details: a phone number")
