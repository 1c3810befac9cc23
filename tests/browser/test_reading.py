import pytest

from articles.demo import load_demo
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    load_demo()
    return live_server.url


def test_a_reader_opens_an_article_from_the_home_page(page, demo):
    from articles.models import Article

    page.goto(demo + "/")
    newest = Article.objects.published().order_by("-published_at").first()
    page.get_by_role("link", name=newest.title, exact=True).first.click()
    page.wait_for_url(demo + newest.get_absolute_url())

    crumb = page.get_by_role("navigation", name="Breadcrumb")
    assert crumb.inner_text().split("»")[0].strip() == "Home"
    assert newest.category.name in crumb.inner_text()
    assert newest.title in crumb.inner_text()
    assert newest.author.byline in page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == newest.title
    first_heading = newest.body.split("## ", 1)[1].split("\n", 1)[0].strip()
    assert first_heading in page.locator(".entry-content").inner_text()


def test_templates_have_no_serious_accessibility_violations(page, demo, axe):
    from articles.models import Article, Page

    article = Article.objects.published().first()
    urls = {
        "home": "/",
        "article": article.get_absolute_url(),
        "category archive": article.category.get_absolute_url(),
        "author archive": article.author.get_absolute_url(),
        "page": Page.objects.first().get_absolute_url(),
        "not found": "/no-such-page/",
        "search results": "/?s=injections",
    }
    problems = {}
    for name, url in urls.items():
        page.goto(demo + url)
        found = serious_violations(axe.run(page))
        if found:
            problems[name] = found
    assert problems == {}


def test_the_article_reads_well_on_a_phone(browser, demo):
    from articles.models import Article

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(demo + Article.objects.published().first().get_absolute_url())
    # Nothing wider than the screen: no sideways scrolling to read.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
