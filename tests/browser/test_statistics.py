"""Readership statistics end to end: two browsers read an article (from the page cache), one
of them once from the new-article mail; staff sign in and find the figures."""

import pytest

from stats import counting
from tests.browser.conftest import serious_violations
from tests.factories import ArticleFactory, UserFactory
from tests.stats.conftest import CHROME, SAFARI

pytestmark = pytest.mark.django_db(transaction=True)


def read(browser, url, user_agent, times, **options):
    """Open the page `times` times in a fresh browser; return the beacons' answers."""
    context = browser.new_context(user_agent=user_agent, **options)
    page = context.new_page()
    answers = []
    for _ in range(times):
        with page.expect_response("**/stats/beacon/") as beacon:
            page.goto(url)
        answers.append(beacon.value.status)
    final_url = page.url
    context.close()
    return answers, final_url


def test_staff_see_the_views_of_two_browsers(browser, live_server, settings, axe):
    settings.PAGE_CACHE = True
    settings.STATS_FLUSH_SECONDS = 0  # written when staff look, not behind the test's back
    counting.reset()
    article = ArticleFactory(title="Sciatica: why your leg hurts")
    ArticleFactory(title="Desk posture for a sore back")
    url = live_server.url + article.get_absolute_url()
    try:
        # Two readers behind one address (the test's own): their browsers tell them apart.
        assert read(browser, url, CHROME, 3)[0] == [204] * 3
        assert read(browser, url, SAFARI, 1)[0] == [204]
        answers, address = read(browser, url + "?from=mail", SAFARI, 1)
        assert answers == [204]
        assert address == url  # a link copied from the address bar is no longer "from mail"
        # Asked not to be tracked: the browser sends nothing, or the server ignores it.
        context = browser.new_context(user_agent=CHROME, extra_http_headers={"Sec-GPC": "1"})
        context.new_page().goto(url)
        context.close()
        assert counting.store().pending() == 5

        UserFactory(username="editor", groups=["Editors"])
        staff = browser.new_context(viewport={"width": 1280, "height": 900})
        page = staff.new_page()
        page.goto(f"{live_server.url}/admin/login/?next=/admin/stats/")
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/stats/")

        today = page.locator(".stats-figures li").first
        assert " ".join(today.inner_text().split()) == "Today 5 views 2 readers · 1 from our mail"
        top = page.get_by_role("region", name="Most read articles").get_by_role("row").nth(1)
        assert top.inner_text().split("\t") == ["Sciatica: why your leg hurts", "5", "2", "1"]
        assert serious_violations(axe.run(page)) == []

        top.get_by_role("link").click()
        panel = page.get_by_role("region", name="Readership of this article")
        panel.wait_for()
        first = panel.locator(".stats-figures li").first
        assert " ".join(first.inner_text().split()) == "Today 5 views 2 readers · 1 from our mail"
        assert serious_violations(axe.run(page, context="#article-statistics")) == []

        # On a tablet, the statistics fit the screen and stay accessible.
        page.set_viewport_size({"width": 820, "height": 1180})
        page.goto(f"{live_server.url}/admin/stats/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert serious_violations(axe.run(page)) == []
        staff.close()
    finally:
        counting.reset()
