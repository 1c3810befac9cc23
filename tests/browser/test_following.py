import re
from datetime import timedelta

import pytest
from django.utils import timezone

from subscriptions.models import Follower
from tests.browser.conftest import serious_violations
from tests.factories import ArticleFactory
from tests.smtp import body_text

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(message, path_prefix, base):
    match = re.search(rf"{re.escape(base)}{path_prefix}[^\s]+/", body_text(message))
    assert match, body_text(message)
    return match.group(0)


def test_a_reader_follows_from_the_sidebar_confirms_then_unsubscribes_from_a_mail(
    page, live_server, smtp_server, settings
):
    settings.SITE_URL = live_server.url  # the links in the mails lead to this server
    ArticleFactory(title="Sleeping positions for a sore back")

    page.goto(live_server.url + "/")
    sidebar = page.get_by_role("complementary", name="Sidebar")
    sidebar.get_by_label("Email address").fill("patient@example.com")
    sidebar.get_by_role("button", name="Follow").click()
    page.wait_for_url("**/subscribe/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"

    assert smtp_server.wait_for(1), "no confirmation mail"
    [confirmation] = smtp_server.to("patient@example.com")
    page.goto(link_in(confirmation, "/subscribe/confirm/", live_server.url))
    assert Follower.objects.get().status == Follower.Status.PENDING  # opening it is not enough
    page.get_by_role("button", name="Yes, follow").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("You’re following")
    assert Follower.objects.get().status == Follower.Status.ACTIVE

    ArticleFactory(
        title="Five myths about slipped discs",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    assert smtp_server.wait_for(2), "no new-article mail"
    new_article = smtp_server.to("patient@example.com")[-1]
    assert new_article["Subject"] == "Five myths about slipped discs"
    page.goto(link_in(new_article, "/unsubscribe/", live_server.url))
    page.get_by_role("button", name="Unsubscribe", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "You’re unsubscribed"
    assert Follower.objects.get().status == Follower.Status.UNSUBSCRIBED


def test_the_following_pages_have_no_serious_accessibility_violations(page, live_server, axe):
    from subscriptions.tokens import confirm_token, manage_token, unsubscribe_token
    from tests.factories import CategoryFactory
    from tests.subscriptions.factories import FollowerFactory

    CategoryFactory(name="Back pain", slug="back-pain")
    CategoryFactory(name="Neck pain", slug="neck-pain")
    pending = FollowerFactory(status=Follower.Status.PENDING, confirmed_at=None)
    active = FollowerFactory()
    urls = {
        "subscribe": "/subscribe/",
        "check your inbox": "/subscribe/sent/",
        "confirm": f"/subscribe/confirm/{confirm_token(pending)}/",
        "unsubscribe": f"/unsubscribe/{unsubscribe_token(active)}/",
        "manage what you receive": f"/subscribe/manage/{manage_token(active)}/",
        "bad link": "/unsubscribe/not-a-token/",
    }
    problems = {}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        found = serious_violations(axe.run(page))
        if found:
            problems[name] = found
    assert problems == {}

    # The manage page once choices are saved (its confirmation shown).
    page.goto(live_server.url + urls["manage what you receive"])
    main = page.get_by_role("main")
    main.get_by_role("group", name="Topics").get_by_label("Neck pain").check()
    main.get_by_role("group", name="How often").get_by_label("One email a week").check()
    main.get_by_role("button", name="Save my choices").click()
    assert "Your choices are saved" in main.get_by_role("status").inner_text()
    assert serious_violations(axe.run(page)) == []
    active.refresh_from_db()
    assert active.frequency == Follower.Frequency.WEEKLY
    assert [t.slug for t in active.topics.all()] == ["neck-pain"]

    # An invalid address is explained next to the field.
    page.goto(live_server.url + "/subscribe/")
    page.get_by_role("main").get_by_label("Email address").fill("patient@")
    page.get_by_role("main").get_by_role("button", name="Follow").click()
    assert "doesn’t look like an email address" in page.get_by_role("main").inner_text()
    assert serious_violations(axe.run(page)) == []
