"""The publish step: what each button of the article form does, and the confirmation before
an article goes public.

The form has no status field. Its buttons say what happens (Save draft, Submit for review,
Publish now, Schedule, Update, Unpublish), and publishing or scheduling an article that is not
public yet is done only from a confirmation page that names how many followers will be mailed
and when. Who listens (followers by email) is asked through `articles.signals`, never imported.
"""

from dataclasses import dataclass

from django.utils import timezone

from . import signals
from .models import Article

SAVE = "_save"  # keep the status (a new article is a draft)
DRAFT = "_draft"
REVIEW = "_submit_review"
PUBLISH = "_publish"
SCHEDULE = "_schedule"
UPDATE = "_update"
UNPUBLISH = "_unpublish"
ACTIONS = [SAVE, DRAFT, REVIEW, PUBLISH, SCHEDULE, UPDATE, UNPUBLISH]
CONFIRMED = {PUBLISH: "publish", SCHEDULE: "schedule"}


def can_publish(user):
    return user.has_perm("articles.publish_article")


@dataclass
class Button:
    name: str
    label: str
    primary: bool = False
    danger: bool = False


def buttons(article, user):
    """The buttons the form offers for `article` (None: a new one) to `user`."""
    publisher = can_publish(user)
    status = article.status if article else Article.Status.DRAFT
    if status == Article.Status.PUBLISHED:
        offered = [Button(UPDATE, "Update", primary=True)]
        if publisher and article.is_scheduled:
            offered.append(Button(PUBLISH, "Publish now…"))
        if publisher:
            label = "Unschedule (back to draft)" if article.is_scheduled else "Unpublish"
            offered.append(Button(UNPUBLISH, label, danger=True))
        return offered
    if status == Article.Status.REVIEW:
        offered = [Button(SAVE, "Save (stays ready for review)")]
    else:
        offered = [Button(DRAFT, "Save draft")]
    if publisher:
        offered += [Button(PUBLISH, "Publish now…", primary=True), Button(SCHEDULE, "Schedule…")]
    elif status == Article.Status.DRAFT:
        offered.append(Button(REVIEW, "Submit for review", primary=True))
    if status == Article.Status.REVIEW and not publisher:
        offered.append(Button(DRAFT, "Back to draft"))
    return offered


def chosen(post, article, user):
    """The button that was pressed, if `user` may press it here; otherwise a plain save."""
    offered = {button.name for button in buttons(article, user)}
    for name in ACTIONS:
        if name in post and name in offered:
            return name
    return UPDATE if article and article.status == Article.Status.PUBLISHED else SAVE


def apply_before_save(article, action):
    """Set the status the pressed button asks for; publishing waits for the confirmation."""
    if action in (DRAFT, UNPUBLISH):
        article.status = Article.Status.DRAFT
    elif action == REVIEW:
        article.status = Article.Status.REVIEW


def when(action, article):
    """The publication time a confirmation is about: now, or the scheduled time."""
    return timezone.now() if action == PUBLISH else article.published_at


def confirmation(article, action):
    """What the confirmation page says: when, and how many followers will be mailed."""
    at = when(action, article)
    return {
        "at": at,
        "audience": signals.audience_of(article, at),
        "scheduled": at > timezone.now(),
    }


def publish(article, action):
    """Publish now or at the article's scheduled time; returns what happened, in a sentence."""
    at = timezone.now() if action == PUBLISH else article.published_at
    audience = signals.audience_of(article, at)
    article.status = Article.Status.PUBLISHED
    article.published_at = at
    article.save()
    return published_message(article, audience)


def published_message(article, audience):
    at = formatted(article.published_at)
    if article.is_scheduled:
        said = f"Scheduled for {at}: the public sees it from then on."
        mailed = "will be mailed then"
    else:
        said = f"Published at {at}."
        mailed = "will be mailed now"
    if audience:
        return f"{said} {audience} follower{'s' if audience != 1 else ''} {mailed}."
    return f"{said} No followers will be mailed."


def saved_message(article, action):
    if action == REVIEW:
        return "Submitted for review: an Editor will publish or schedule it."
    if action == UNPUBLISH:
        return "Unpublished: it is a draft again and no longer on the site."
    if article.status == Article.Status.PUBLISHED:
        if article.is_scheduled:
            return f"Updated. Still scheduled for {formatted(article.published_at)}."
        return "Updated: the changes are on the site now."
    if article.status == Article.Status.REVIEW:
        return "Saved. It stays ready for review."
    return "Draft saved. Nobody but staff can see it."


def formatted(moment):
    return timezone.localtime(moment).strftime("%A %-d %B %Y at %H:%M")
