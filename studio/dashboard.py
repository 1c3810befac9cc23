"""What the dashboard shows a staff member: the work waiting for them, each list queried once.

Each list is asked of the app that owns its rows (their querysets and selectors); this module
only picks what a given staff member may see and how much of it.
"""

from django.apps import apps
from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from articles.models import Article
from articles.selectors import review_due_soon, review_overdue
from comments.admin import moderation_buttons
from comments.models import Comment, CommentMail
from news.models import Feed
from ops.alerts import recent as recent_alerts
from subscriptions.models import Delivery

SHOWN = 8  # rows a panel lists before "all N"


def panels(request):
    user = request.user
    context = {"can_write": user.has_perm("articles.add_article")}
    if user.has_perm("articles.view_article"):
        mine = Article.objects.editable_by(user).select_related("author")
        context["review"] = listing(
            mine.filter(status=Article.Status.REVIEW).order_by("-updated_at"),
            changelist("articles_article", status="review"),
        )
        context["drafts"] = listing(
            mine.filter(status=Article.Status.DRAFT, author__user=user).order_by("-updated_at"),
            changelist("articles_article", status="draft", mine="yes"),
        )
        context["scheduled"] = listing(
            mine.scheduled().order_by("published_at"),
            changelist("articles_article", status="scheduled"),
        )
    if user.has_perm("articles.change_article") and user.has_perm("articles.publish_article"):
        context["review_overdue"] = listing(review_overdue(), None)
        context["review_due"] = listing(review_due_soon(), None)
        context["review_due_days"] = settings.MEDICAL_REVIEW_DUE_SOON_DAYS
    if user.has_perm("comments.change_comment"):
        back = reverse("admin:index")
        held = listing(
            Comment.objects.awaiting_moderation()
            .prefetch_related("content_object")
            .order_by("submit_date"),
            changelist("comments_comment", status__exact="pending"),
        )
        held["rows"] = [
            {"comment": comment, "buttons": moderation_buttons(comment, back)}
            for comment in held["rows"]
        ]
        context["held_comments"] = held
    if user.has_perm("subscriptions.view_delivery"):
        problems = Delivery.objects.needing_attention()
        context["delivery_problems"] = {
            "count": problems.count(),
            "url": changelist("subscriptions_delivery", status__in="failed,bounced,interrupted"),
            "by_status": {
                row["status"]: row["n"]
                for row in problems.values("status").annotate(n=Count("pk")).order_by()
            },
        }
    if user.has_perm("comments.view_commentmail"):
        waiting = CommentMail.objects.needing_attention()
        context["comment_mail_problems"] = {
            "count": waiting.count(),
            "url": changelist("comments_commentmail", status__in="failed,interrupted"),
        }
    if user.has_perm("subscriptions.view_delivery") or user.has_perm("comments.change_comment"):
        # Shown whether or not they were mailed: the relay that failed often refused them too.
        context["mail_alerts"] = listing(recent_alerts(), None)
    if user.has_perm("news.view_feed"):
        context["failing_feeds"] = listing(
            Feed.objects.failing().order_by("last_error_at"), changelist("news_feed")
        )
    if apps.is_installed("stats"):
        context["statistics_panel"] = "studio/_statistics.html"
    return context


def listing(queryset, url):
    rows = list(queryset[: SHOWN + 1])
    count = len(rows) if len(rows) <= SHOWN else queryset.count()
    return {"rows": rows[:SHOWN], "count": count, "url": url}


def changelist(name, **filters):
    from django.utils.http import urlencode

    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url
