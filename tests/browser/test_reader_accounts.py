"""Reader accounts in Chromium: the two journeys of issue 16."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.sites.models import Site

from comments.models import Comment
from tests.browser.conftest import serious_violations
from tests.factories import ArticleFactory
from tests.readers.conftest import code_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_signs_in_with_a_mailed_code_comments_and_manages_it(
    page, live_server, smtp_server, settings, axe
):
    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory(title="Sitting well at work")
    page.goto(f"{live_server.url}/accounts/login/?next={article.get_absolute_url()}")
    assert serious_violations(axe.run(page)) == []
    page.get_by_label("Email", exact=True).fill("sam@example.org")
    page.get_by_role("button", name="Email me a code").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    assert serious_violations(axe.run(page)) == []

    assert smtp_server.wait_for(1)
    page.get_by_label("Code from the email").fill(code_in(smtp_server.to("sam@example.org")[0]))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")

    # Signed in: no email field, a name the first time, and no confirmation mail afterwards.
    assert page.locator("#id_email").count() == 0
    page.get_by_label("Name").fill("Sam")
    page.get_by_role("textbox", name="Comment").fill("A standing desk changed my afternoons.")
    page.get_by_role("button", name="Post Comment").click()
    page.get_by_role("heading", name="Your comment is awaiting moderation").wait_for()
    comment = Comment.objects.get()
    assert (comment.user_name, comment.status) == ("Sam", Comment.Status.PENDING)
    assert len(smtp_server.messages) == 1  # the code; no "confirm your email"

    page.goto(f"{live_server.url}/account/")
    mine = page.locator(f"#mine-{comment.pk}")
    assert "A standing desk" in mine.inner_text()
    assert serious_violations(axe.run(page)) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [c["text"] for c in data["comments"]] == ["A standing desk changed my afternoons."]

    mine.get_by_role("button", name="Delete this comment").click()
    page.get_by_role("heading", name="Your account").wait_for()
    assert page.locator(f"#mine-{comment.pk}").count() == 0
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED


@pytest.fixture
def oidc_provider():
    from tests.oidc_provider import OIDCProvider

    provider = OIDCProvider(
        "backstory-test", "test-secret",
        {"sub": "4711", "email": "alex@example.org", "name": "Alex Patient"},
    )  # fmt: skip
    yield provider
    provider.close()


def test_a_reader_signs_in_through_an_openid_connect_provider_that_loads_nothing_before(
    page, live_server, oidc_provider
):
    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="loopback-id", name="Loopback ID",
        client_id="backstory-test", secret="test-secret",
        settings={"server_url": oidc_provider.url},
    )  # fmt: skip
    app.sites.add(Site.objects.get_current())
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{live_server.url}/accounts/login/")
    button = page.get_by_role("button", name="Continue with Loopback ID")
    button.wait_for()
    page.wait_for_load_state("networkidle")
    site = urlsplit(live_server.url).netloc
    assert requests and {urlsplit(url).netloc for url in requests} == {site}

    button.click()
    page.get_by_role("link", name="Sign in as Alex Patient").click()
    page.get_by_role("heading", name="Your account").wait_for()
    assert "alex@example.org" in page.locator("main").inner_text()
    assert page.get_by_label("Name shown on your comments").input_value() == "Alex Patient"
