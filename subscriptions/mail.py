"""The mails followers receive, built by `mailer` from templates/email/ (subject, text, HTML)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.seo import absolute_url  # from SITE_URL, never a request's Host header
from mailer.compose import blog_name, build
from mailer.merge import Prototype, placeholder

from .models import Follower
from .tokens import confirm_token, manage_token, unsubscribe_token


def unsubscribe_url(follower):
    return absolute_url(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(follower)]))


def follower_links(follower):
    """Every mail to a follower: why they receive it, where to change that, how to stop it;
    with the RFC 2369 / RFC 8058 headers for mail clients' own "Unsubscribe" button."""
    url = unsubscribe_url(follower)
    since = follower.confirmed_at or follower.subscribed_at
    context = {
        "unsubscribe_url": url,
        "manage_url": absolute_url(reverse("subscriptions:manage", args=[manage_token(follower)])),
        "since": timezone.localdate(since) if since else None,
        "weekly": follower.frequency == Follower.Frequency.WEEKLY,
        "all_topics": follower.all_topics,
    }
    headers = {
        # Mail clients show their own "Unsubscribe" button, which POSTs
        # "List-Unsubscribe=One-Click" to this URL without opening a page.
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return context, headers


def list_id(name):
    return f"{name} <followers.{settings.SITE_DOMAIN.split(':')[0]}>"


def confirmation_message(follower):
    confirm_url = absolute_url(reverse("subscriptions:confirm", args=[confirm_token(follower)]))
    context = {"confirm_url": confirm_url, "valid_days": settings.SUBSCRIPTIONS_CONFIRM_DAYS}
    return build("subscription_confirm", context, follower.email)


class NewArticleMail:
    """The new-article mail for one article; `for_follower` personalises it.

    The article part of the context is worked out once per batch, not once per follower, and
    the mail itself once per day on which followers joined (`for_follower`).
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
        self.list_id = list_id(self.blog_name)
        self._prototypes = {}  # what makes followers' mails differ but their links: the mail

    def for_follower(self, follower):
        links, headers = follower_links(follower)
        personal = {
            "to": follower.email,
            "unsubscribe": links["unsubscribe_url"],
            "manage": links["manage_url"],
        }
        # Followers who joined the same day and chose alike get the same mail but for their
        # address and links: it is built and serialised once (mailer.merge), each copy made
        # from its bytes.
        key = tuple(
            sorted((name, value) for name, value in links.items() if not name.endswith("_url"))
        )
        prototype = self._prototypes.get(key)
        if prototype is None:
            tokens = {
                "to": placeholder("to", address=True),
                "unsubscribe": placeholder("unsubscribe"),
                "manage": placeholder("manage"),
            }
            stand_in = {
                **links,
                "unsubscribe_url": tokens["unsubscribe"],
                "manage_url": tokens["manage"],
            }
            stand_in_headers = {
                name: value.replace(links["unsubscribe_url"], tokens["unsubscribe"])
                for name, value in headers.items()
            }
            built = self._build(tokens["to"], stand_in, stand_in_headers)
            prototype = self._prototypes[key] = Prototype(built, tokens)
        return prototype.copy(**personal) or self._build(follower.email, links, headers)

    def _build(self, address, links, headers):
        context = {**self.context, **links}
        return build("new_article", context, address, {**headers, "List-Id": self.list_id})

    def sample(self, address):
        """The same mail for a staff member checking it: marked as a test, no personal links."""
        context = {
            **self.context,
            "unsubscribe_url": absolute_url(reverse("subscriptions:subscribe")),
            "manage_url": absolute_url(reverse("subscriptions:subscribe")),
            "since": None,
        }
        message = build("new_article", context, address, {"List-Id": self.list_id})
        message.subject = f"Test: {message.subject}"
        return message


class DigestMail:
    """The weekly digest; `for_follower` lists that follower's articles."""

    def __init__(self, digest):
        self.blog_name = blog_name()
        self.list_id = list_id(self.blog_name)
        self.context = {
            "blog_name": self.blog_name,
            "week_ending": timezone.localdate(digest.ends_at),
        }

    def for_follower(self, follower, articles):
        links, headers = follower_links(follower)
        entries = [
            {
                "title": article.title,
                "url": absolute_url(article.get_absolute_url()),
                "author": article.author.byline,
                "excerpt": article.summary,
                "date": timezone.localdate(article.published_at),
            }
            for article in articles
        ]
        context = {**self.context, **links, "entries": entries}
        return build("digest", context, follower.email, {**headers, "List-Id": self.list_id})
