"""The public face at a phone's 390×844 and a desktop's 1280×900: what fits on the first
screen, the practice's header, listing cards, the author photo, the menu and search toggles."""

import pytest

from articles.demo import load_demo
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def demo(live_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    load_demo()
    return live_server.url


@pytest.fixture
def newest():
    from articles.models import Article

    return Article.objects.published().order_by("-published_at").first()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


def box(locator):
    found = locator.bounding_box()
    assert found, f"{locator} is not displayed"
    return found


def test_on_a_phone_the_title_byline_and_first_paragraph_are_on_the_first_screen(
    phone, demo, newest
):
    phone.goto(demo + newest.get_absolute_url())
    for part in (
        phone.locator("h1"),
        phone.locator(".article .byline"),
        phone.locator(".entry-content > p").first,
    ):
        shown = box(part)
        assert shown["y"] >= 0 and shown["y"] + shown["height"] <= 844, part


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_header_shows_the_call_to_action_and_the_phone_link(browser, demo, size):
    context = browser.new_context(**size)
    page = context.new_page()
    page.goto(demo + "/")
    header = page.locator("header.site-header")
    cta = header.get_by_role("link", name="Request an appointment")
    call = header.get_by_role("link", name="Call (505) 555-0142")
    assert cta.is_visible() and call.is_visible()
    assert call.get_attribute("href") == "tel:+15055550142"
    for part in (cta, call):  # inside the screen, not cut off at its edge
        shown = box(part)
        assert shown["x"] >= 0 and shown["x"] + shown["width"] <= size["viewport"]["width"]
    cta.click()
    page.wait_for_url(demo + "/contact/")
    context.close()


def test_listing_cards_stand_side_by_side_on_a_desktop_and_stack_on_a_phone(page, phone, demo):
    page.goto(demo + "/")
    cards = [box(card) for card in page.locator(".article-list > .summary").all()]
    assert len(cards) >= 3
    lead, second, third = cards[:3]
    assert lead["width"] > 1.5 * second["width"]  # the newest article leads, across the row
    assert second["y"] == third["y"] and third["x"] > second["x"] + second["width"]
    for card in page.locator(".article-list > .summary").all()[1:]:
        assert card.locator(".summary-image img").is_visible()
        assert card.locator(".entry-summary").is_visible()
        assert card.locator("time").is_visible()
        assert "min read" in card.locator(".reading-time").inner_text()

    phone.goto(demo + "/")
    stacked = [box(card) for card in phone.locator(".article-list > .summary").all()]
    assert len({card["x"] for card in stacked}) == 1
    assert all(a["y"] + a["height"] <= b["y"] for a, b in zip(stacked, stacked[1:], strict=False))


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_author_photo_is_as_wide_as_it_is_high(browser, demo, newest, size):
    context = browser.new_context(**size)
    page = context.new_page()
    for url in (newest.author.get_absolute_url(), newest.get_absolute_url()):
        page.goto(demo + url)
        photo = page.locator("img.author-photo")
        photo.scroll_into_view_if_needed()
        shown = box(photo)
        assert shown["width"] == shown["height"] and shown["width"] >= 90, url
    context.close()


def test_on_a_phone_search_and_menu_open_from_their_toggles(phone, demo):
    phone.goto(demo + "/")
    field = phone.get_by_role("searchbox", name="Search articles")
    menu = phone.get_by_role("navigation", name="Main")
    assert not field.is_visible() and not menu.is_visible()
    search = phone.get_by_role("button", name="Search the site")
    assert search.get_attribute("aria-expanded") == "false"
    search.click()
    assert field.is_visible() and search.get_attribute("aria-expanded") == "true"
    assert phone.evaluate("document.activeElement.id") == "site-search"
    field.fill("sciatica")
    field.press("Enter")
    phone.wait_for_url("**/?s=sciatica")
    toggle = phone.get_by_role("button", name="Menu")
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    links = menu.get_by_role("link").all()
    assert [link.inner_text() for link in links][:2] == ["Home", "About"]
    # One link a row, all starting at the same edge (no second row indented further).
    assert (
        len({box(link)["x"] for link in links if link.get_attribute("aria-current") is None}) == 1
    )


def test_without_javascript_the_toggles_still_open_search_and_menu(browser, demo):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo + "/")
    page.get_by_role("link", name="Search the site").click()
    assert page.get_by_role("searchbox", name="Search articles").is_visible()
    page.get_by_role("link", name="Menu").click()
    assert (
        page.get_by_role("navigation", name="Main").get_by_role("link", name="About").is_visible()
    )
    context.close()


def test_on_a_desktop_the_menu_is_one_row_and_search_is_beside_it(page, demo):
    page.goto(demo + "/")
    links = page.get_by_role("navigation", name="Main").get_by_role("link").all()
    assert len({round(box(link)["y"]) for link in links}) == 1
    assert page.get_by_role("searchbox", name="Search articles").is_visible()
    assert not page.locator(".header-toggles").is_visible()


def test_heading_links_show_on_articles_only_on_hover_or_focus(page, demo, newest):
    from articles.models import Page

    page.goto(demo + newest.get_absolute_url())
    heading = page.locator(".entry-content h2").first
    anchor = heading.locator("a.headerlink")
    assert anchor.evaluate("a => getComputedStyle(a).opacity") == "0"
    heading.hover()
    page.wait_for_function("a => getComputedStyle(a).opacity === '1'", arg=anchor.element_handle())
    page.goto(demo + Page.objects.get(slug="contact").get_absolute_url())
    assert page.locator(".entry-content h2").count() >= 1
    assert page.locator("a.headerlink").count() == 0


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_public_templates_have_no_serious_accessibility_violations(
    browser, demo, newest, axe, size
):
    from articles.models import Page

    context = browser.new_context(**size)
    page = context.new_page()
    urls = {
        "home": "/",
        "article": newest.get_absolute_url(),
        "category": newest.category.get_absolute_url(),
        "author": newest.author.get_absolute_url(),
        "page": Page.objects.get(slug="contact").get_absolute_url(),
        "search": "/?s=injections",
    }
    problems = {}
    for name, url in urls.items():
        page.goto(demo + url)
        if size is PHONE:  # both disclosures open: their contents are checked too
            page.get_by_role("button", name="Menu").click()
            page.get_by_role("button", name="Search the site").click()
        found = serious_violations(axe.run(page))
        if found:
            problems[name] = found
    context.close()
    assert problems == {}
