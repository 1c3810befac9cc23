"""Finding 5 (issue 11): likes and the comment confirmation mail were unthrottled doors."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from comments.models import Comment, Like
from tests.comments.conftest import ORIGIN, without_own_comment
from tests.pages import nowhere, parse, source, text
from tests.smtp import body_html, body_text

pytestmark = pytest.mark.django_db


def test_finding_5_likes_are_limited_per_ip_with_a_clear_429(
    client, published_article, settings, steady_rate_window
):
    settings.LIKES_RATE_LIMIT = 3
    like_url = published_article.get_absolute_url() + "like/"
    for _ in range(3):
        # A fresh browser each time (no cookie), as the flood did: each like counted.
        assert type(client)().post(like_url, **ORIGIN).status_code == 302
    refused = type(client)().post(like_url, **ORIGIN)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "More than 3 likes an hour came from your network" in text(refused, "main")
    as_json = type(client)().post(like_url, HTTP_ACCEPT="application/json", **ORIGIN)
    assert as_json.status_code == 429 and "3 likes an hour" in as_json.json()["error"]
    assert Like.objects.count() == 3  # the table stops growing

    # Another network is counted apart.
    other = type(client)().post(like_url, REMOTE_ADDR="198.51.100.7", **ORIGIN)
    assert other.status_code == 302
    assert Like.objects.count() == 4


def test_finding_5_likes_rate_limit_believes_x_forwarded_for_only_behind_proxies(
    client, published_article, settings, steady_rate_window
):
    settings.LIKES_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 0
    like_url = published_article.get_absolute_url() + "like/"
    statuses = [
        type(client)().post(like_url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **ORIGIN).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]  # a made-up header does not make a new reader


def test_finding_5_one_confirmation_mail_per_address_per_10_minutes(
    client, post_comment, published_article, smtp_server, django_capture_on_commit_callbacks
):
    first = post_comment(published_article, comment="First, by me.")
    landing_first = client.get(first["Location"])
    smtp_server.wait_for(1)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=9), tick=False):
        second = post_comment(published_article, comment="Second, aimed at the same inbox.")
        landing_second = client.get(second["Location"])
    assert len(smtp_server.to("pat@example.org")) == 1
    # The second comment is kept, unconfirmed, and its writer is told the very same thing.
    assert Comment.objects.filter(status=Comment.Status.UNCONFIRMED).count() == 2
    assert "Please confirm your email address" in text(landing_second, "main")
    assert without(landing_first, "First, by me.") == without(
        landing_second, "Second, aimed at the same inbox."
    )
    # Another address is not held back by this one.
    post_comment(published_article, email="sam@example.org", comment="Mine.")
    smtp_server.wait_for(2)
    assert len(smtp_server.to("sam@example.org")) == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=11), tick=False):
        post_comment(published_article, comment="Third, after the pause.")
    smtp_server.wait_for(3)
    assert len(smtp_server.to("pat@example.org")) == 2


def test_finding_5_the_confirmation_mail_quotes_at_most_100_characters(
    post_comment, published_article, smtp_server
):
    typed = "Buy cheap pills now at the address below. " * 3 + "TAIL-THAT-MUST-NOT-BE-MAILED"
    post_comment(published_article, comment=typed)
    [message] = smtp_server.to("pat@example.org")
    assert "TAIL-THAT-MUST-NOT-BE-MAILED" not in body_text(message)
    assert nowhere(body_html(message), "TAIL-THAT-MUST-NOT-BE-MAILED")
    for body in (body_text(message), text(body_html(message))):
        assert "Buy cheap pills now at the address below." in body
    quoted = body_text(message).split('Your comment began: "', 1)[1].split('"', 1)[0]
    assert len(quoted) <= 100


def without(page, words):
    """The parsed page with the words taken out of its texts, and without what differs by
    comment (its id and time, in the link back to it and in what the browser keeps to show it
    to its writer): the rest must be equal."""
    html = without_own_comment(source(page), "")
    soup = parse(html)
    for string in soup.find_all(string=lambda s: words in s):
        string.replace_with(string.replace(words, ""))
    return soup
