"""The demo's conversation: a short thread under one demo article, a practice-team reply in it,
and a few likes, so that a newcomer sees comments without moderating any first.

Loaded when `load_demo` runs (articles.signals.demo_loaded); once only: an article that has any
comment already is left alone. The people are fictional, and the practice team's account cannot
sign in (it has no password).
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from articles.signals import public_content_changed

from .models import Comment, Like
from .staff import staff_name

ARTICLE = "sciatica-why-your-leg-hurts"
TEAM_USERNAME = "demo-practice-team"
LIKES = 7

# (key, replying to, name, email, hours after publication, text); the team's lines have no email.
CONVERSATION = [
    (
        "ines", None, "Inés Carvalho", "ines@example.org", 30,
        "This is the first explanation that made sense to me. My pain is in my calf, not my "
        "back at all, and I had no idea a disc could do that.\n\nDoes walking make it worse "
        "or better? Some days I cannot tell.",
    ),
    (
        "team", "ines", None, None, 34,
        "Thank you, Inés. Many people find that short, gentle walks help more than resting, "
        "and that the pain eases as the weeks pass. What helps varies from person to person, "
        "so the best person to ask about your own leg is the doctor who examined you.",
    ),
    (
        "tom", "ines", "Tom B.", "tom@example.org", 52,
        "Same here: it was my foot that tingled. Walking to the end of the road and back, "
        "twice a day, was what got me going again.",
    ),
    (
        "priya", None, "Priya", "priya@example.org", 80,
        "Clear and kind, thank you. The bit about which nerve roots go where was new to me.",
    ),
]  # fmt: skip


def team_user():
    """A staff account for the demo's practice-team replies, which nobody can sign in as."""
    user, created = get_user_model().objects.get_or_create(
        username=TEAM_USERNAME,
        defaults={"first_name": "Dana", "last_name": "Reyes (practice nurse)", "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_demo_comments():
    """Create the demo conversation and likes if they are missing; returns lines to report."""
    article = Article.objects.published().filter(slug=ARTICLE).first()
    if article is None:
        return ["Demo comments: skipped (the demo article is not there)"]
    if Comment.objects.for_target(article).exists():
        return ["Demo comments: already present, left alone"]
    content_type = ContentType.objects.get_for_model(Article)
    team = team_user()
    written = {}
    for key, parent, name, email, hours, text in CONVERSATION:
        comment = Comment(
            content_type=content_type,
            object_pk=str(article.pk),
            site_id=1,
            user=team if email is None else None,
            user_name=name or staff_name(team),
            user_email=email or "",
            comment=text,
            submit_date=min(article.published_at + datetime.timedelta(hours=hours), timezone.now()),
            parent_id=written[parent].pk if parent else 0,
        )
        comment.save()
        comment.set_status(Comment.Status.APPROVED)
        written[key] = comment
    for n in range(LIKES):
        Like.objects.get_or_create(article=article, reader=f"demo-reader-{n}")
    public_content_changed.send(sender=Comment)
    return [f"Demo comments: {len(CONVERSATION)} created on “{article.title}”, and {LIKES} likes"]


def on_demo_loaded(sender, **kwargs):
    return load_demo_comments()
