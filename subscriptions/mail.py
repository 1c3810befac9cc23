"""The mails followers receive, built by `mailer` from templates/email/ (subject, text, HTML)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.seo import absolute_url  # from SITE_URL, never a request's Host header
from mailer.compose import blog_name, build

from .tokens import confirm_token, unsubscribe_token


def unsubscribe_url(follower):
    return absolute_url(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(follower)]))


def confirmation_message(follower):
    confirm_url = absolute_url(reverse("subscriptions:confirm", args=[confirm_token(follower)]))
    context = {"confirm_url": confirm_url, "valid_days": settings.SUBSCRIPTIONS_CONFIRM_DAYS}
    return build("subscription_confirm", context, follower.email)


class NewArticleMail:
    """The new-article mail for one article; `for_follower` personalises it.

    The article part of the context is worked out once per batch, not once per follower.
    """

    def __init__(self, article):
        self.blog_name = blog_name()
        image = article.featured_image
        self.context = {
            "blog_name": self.blog_name,
            "article": article,
            "article_url": absolute_url(article.get_absolute_url()),
            "author": article.author.byline,
            "excerpt": article.summary,
            "image_url": absolute_url(image.url) if image else "",
            "image_alt": article.featured_image_alt,
        }
        self.list_id = f"{self.blog_name} <followers.{settings.SITE_DOMAIN.split(':')[0]}>"

    def for_follower(self, follower):
        url = unsubscribe_url(follower)
        since = follower.confirmed_at or follower.subscribed_at
        context = {
            **self.context,
            "unsubscribe_url": url,
            "since": timezone.localdate(since) if since else None,
        }
        headers = {
            # RFC 2369 and RFC 8058: mail clients show their own "Unsubscribe" button, which
            # POSTs "List-Unsubscribe=One-Click" to this URL without opening a page.
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.list_id,
        }
        return build("new_article", context, follower.email, headers)

    def sample(self, address):
        """The same mail for a staff member checking it: marked as a test, no personal links."""
        context = {
            **self.context,
            "unsubscribe_url": absolute_url(reverse("subscriptions:subscribe")),
            "since": None,
        }
        message = build("new_article", context, address, {"List-Id": self.list_id})
        message.subject = f"Test: {message.subject}"
        return message
