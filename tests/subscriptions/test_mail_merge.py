"""The new-article mail built once per day followers joined, each copy made from its bytes, is
the mail an ordinary build gives: same headers and parts, its own address, link and Message-ID."""

import email
import email.policy
from datetime import timedelta

from django.utils import timezone

from mailer.merge import MergedMessage
from subscriptions.mail import NewArticleMail, follower_links, unsubscribe_url
from tests.subscriptions.conftest import publish
from tests.subscriptions.factories import FollowerFactory


def parsed(message):
    return email.message_from_bytes(
        message.message().as_bytes(linesep="\r\n"), policy=email.policy.default
    )


def parts(message):
    return [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]


def test_a_merged_copy_is_the_mail_an_ordinary_build_gives(db):
    article = publish(title="Sleeping positions for a sore back & neck")
    joined = timezone.now() - timedelta(days=400)
    followers = FollowerFactory.create_batch(3, confirmed_at=joined)
    mail = NewArticleMail(article)
    copies = [mail.for_follower(follower) for follower in followers]
    assert all(isinstance(copy, MergedMessage) for copy in copies)
    assert len(mail._prototypes) == 1  # one build for the three, who joined the same day

    follower, copy = followers[1], parsed(copies[1])
    url = unsubscribe_url(follower)
    ordinary = parsed(mail._build(follower.email, *follower_links(follower)))
    for header in ("Subject", "From", "To", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"):
        # (The email package folds a long header onto a second line; the merged copy need not.)
        assert copy[header].strip() == ordinary[header].strip(), header
    assert copy["To"] == follower.email and copy["List-Unsubscribe"] == f"<{url}>"
    assert parts(copy) == parts(ordinary)
    assert url in parts(copy)[0] and url in parts(copy)[1]
    assert followers[0].email not in str(copy)
    # The message object the locmem and outbox backends keep reads the same.
    assert copies[1].to == [follower.email] and url in copies[1].body
    assert len({parsed(c)["Message-ID"] for c in copies}) == 3


def test_an_address_that_is_not_plain_ascii_gets_an_ordinary_build(db):
    article = publish()
    follower = FollowerFactory(email="zoë@example.net")
    message = NewArticleMail(article).for_follower(follower)
    assert not isinstance(message, MergedMessage)
    assert message.to == ["zoë@example.net"]


def test_followers_who_joined_on_other_days_each_read_their_own_date(db):
    article = publish()
    old = FollowerFactory(confirmed_at=timezone.now() - timedelta(days=800))
    new = FollowerFactory(confirmed_at=timezone.now())
    mail = NewArticleMail(article)
    texts = {f.pk: mail.for_follower(f).body for f in (old, new)}
    assert f"{timezone.localdate(old.confirmed_at):%Y}" in texts[old.pk]
    assert texts[old.pk] != texts[new.pk].replace(unsubscribe_url(new), unsubscribe_url(old))
