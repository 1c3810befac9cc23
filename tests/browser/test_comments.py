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
