"""The mails followers receive: plain text and HTML from paired templates in templates/email/."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import SiteSettings
from articles.seo import absolute_url  # from SITE_URL, never a request's Host header

from .tokens import confirm_token, unsubscribe_token


def unsubscribe_url(follower):
    return absolute_url(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(follower)]))


def render_pair(name, context):
    return (
        render_to_string(f"email/{name}.txt", context),
        render_to_string(f"email/{name}.html", context),
    )


def build_message(subject, name, context, to, headers=None):
    text, html = render_pair(name, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(follower):
    blog_name = SiteSettings.load().name
    confirm_url = absolute_url(reverse("subscriptions:confirm", args=[confirm_token(follower)]))
    context = {
        "blog_name": blog_name,
        "confirm_url": confirm_url,
        "valid_days": settings.SUBSCRIPTIONS_CONFIRM_DAYS,
        "site_url": settings.SITE_URL,
    }
    return build_message(
        f"Please confirm: follow {blog_name} by email",
        "subscription_confirm",
        context,
        [follower.email],
    )


class NewArticleMail:
    """The new-article mail for one article; `for_follower` personalises it.

    The article part of the context is worked out once per batch, not once per follower.
    """

    def __init__(self, article):
        self.blog_name = SiteSettings.load().name
        image = article.featured_image
        self.subject = article.title
        self.context = {
            "blog_name": self.blog_name,
            "article": article,
            "article_url": absolute_url(article.get_absolute_url()),
            "author": article.author.byline,
            "excerpt": article.summary,
            "image_url": absolute_url(image.url) if image else "",
            "image_alt": article.featured_image_alt,
            "site_url": settings.SITE_URL,
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
        return build_message(self.subject, "new_article", context, [follower.email], headers)
