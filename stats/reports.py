"""What staff see: every figure the statistics pages show, each computed in one query.

Readers are counted once per article per day and days cannot be linked (that is the point of
the daily salt), so "readers" over several days is a sum of daily readers: someone who reads
an article on three days counts three times. The pages say so.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from subscriptions.models import Delivery, Follower, Notification

from .models import ArticleDay, ReferrerDay, SearchDay

PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 30
CHART_DAYS = 30
WEEKS = 12
TOP = 10


def first_day(days):
    """The first of the last `days` days, today included."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def _filtered(queryset, article):
    return queryset if article is None else queryset.filter(article=article)


def summary(article=None):
    """Views and readers today, in the last 7 and the last 30 days (one query)."""
    spans = {"today": 1, "week": 7, "month": 30}
    sums = {}
    for name, days in spans.items():
        since = Q(day__gte=first_day(days))
        sums[f"{name}_views"] = Sum("views", filter=since, default=0)
        sums[f"{name}_readers"] = Sum("readers", filter=since, default=0)
        sums[f"{name}_mail"] = Sum("mail_views", filter=since, default=0)
    totals = _filtered(ArticleDay.objects.filter(day__gte=first_day(30)), article).aggregate(**sums)
    return [
        {
            "label": label,
            "views": totals[f"{name}_views"],
            "readers": totals[f"{name}_readers"],
            "mail": totals[f"{name}_mail"],
        }
        for name, label in (("today", "Today"), ("week", "Last 7 days"), ("month", "Last 30 days"))
    ]


@dataclass
class Day:
    day: datetime.date
    views: int = 0
    readers: int = 0


def daily(days, article=None):
    """One Day per day of the last `days`, oldest first, days without views included."""
    start = first_day(days)
    rows = (
        _filtered(ArticleDay.objects.filter(day__gte=start), article)
        .values("day")
        .annotate(total_views=Sum("views"), total_readers=Sum("readers"))
        .order_by()
    )
    found = {row["day"]: row for row in rows}
    result = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        row = found.get(day, {})
        result.append(Day(day, row.get("total_views", 0), row.get("total_readers", 0)))
    return result


# The chart's drawing area, in SVG user units (the SVG scales to its box).
CHART_WIDTH, CHART_HEIGHT = 600, 160


def chart(days):
    """Bars for an inline SVG: views as wide bars, readers inside them as narrow ones."""
    top = max((d.views for d in days), default=0) or 1
    slot = CHART_WIDTH / max(len(days), 1)
    bars = []
    for index, d in enumerate(days):
        views_height = round(CHART_HEIGHT * d.views / top, 1)
        readers_height = round(CHART_HEIGHT * d.readers / top, 1)
        bars.append(
            {
                "day": d.day,
                "views": d.views,
                "readers": d.readers,
                "x": round(index * slot + slot * 0.1, 1),
                "width": round(slot * 0.8, 1),
                "inner_x": round(index * slot + slot * 0.3, 1),
                "inner_width": round(slot * 0.4, 1),
                "views_y": round(CHART_HEIGHT - views_height, 1),
                "views_height": views_height,
                "readers_y": round(CHART_HEIGHT - readers_height, 1),
                "readers_height": readers_height,
            }
        )
    return {
        "bars": bars,
        "top": top if any(d.views for d in days) else 0,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first": days[0].day if days else None,
        "last": days[-1].day if days else None,
        "views": sum(d.views for d in days),
    }


def top_articles(days, limit=TOP):
    return list(
        ArticleDay.objects.filter(day__gte=first_day(days))
        .values("article", title=F("article__title"))
        .annotate(total_views=Sum("views"), total_readers=Sum("readers"), mail=Sum("mail_views"))
        .order_by("-total_views", "title")[:limit]
    )


def top_referrers(days, article=None, limit=TOP):
    return list(
        _filtered(ReferrerDay.objects.filter(day__gte=first_day(days)), article)
        .values("host")
        .annotate(total_views=Sum("views"))
        .order_by("-total_views", "host")[:limit]
    )


def failed_searches(days, limit=20):
    """What readers looked for and did not find: what to write next."""
    return list(
        SearchDay.objects.filter(day__gte=first_day(days), empty__gt=0)
        .values("term")
        .annotate(times=Sum("empty"))
        .order_by("-times", "term")[:limit]
    )


def top_searches(days, limit=TOP):
    return list(
        SearchDay.objects.filter(day__gte=first_day(days))
        .values("term")
        .annotate(times=Sum("searches"), nothing=Sum("empty"))
        .order_by("-times", "term")[:limit]
    )


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


def followers_by_week(weeks=WEEKS):
    """New followers (confirmed) and lost ones (unsubscribed or bounced) per week, newest first.

    From the followers' own dates: someone erased at their request is no longer counted at
    all, and someone who left and came back counts only as new.
    """
    start = _monday(timezone.localdate()) - datetime.timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))

    def per_week(field, **filters):
        rows = (
            Follower.objects.filter(**{f"{field}__gte": since}, **filters)
            .annotate(week=TruncWeek(field))
            .values("week")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {timezone.localtime(row["week"]).date(): row["n"] for row in rows}

    new = per_week("confirmed_at")
    lost = per_week(
        "unsubscribed_at", status__in=[Follower.Status.UNSUBSCRIBED, Follower.Status.BOUNCED]
    )
    result = []
    for offset in range(weeks):
        week = start + datetime.timedelta(weeks=offset)
        result.append({"week": week, "new": new.get(week, 0), "lost": lost.get(week, 0)})
    result.reverse()
    return result


def new_article_mails(limit=TOP, article=None):
    """Each new-article mail: when, sent, bounced, and the views that came from its links."""
    S = Delivery.Status
    notifications = Notification.objects.select_related("article").annotate(
        sent=Count("article__deliveries", filter=Q(article__deliveries__status=S.SENT)),
        bounced=Count("article__deliveries", filter=Q(article__deliveries__status=S.BOUNCED)),
    )
    if article is not None:
        notifications = notifications.filter(article=article)
    notifications = list(notifications.order_by("-created_at")[:limit])
    views = dict(
        ArticleDay.objects.filter(article__in=[n.article_id for n in notifications])
        .values("article")
        .annotate(mail=Sum("mail_views"))
        .values_list("article", "mail")
        .order_by()
    )
    return [
        {
            "article": n.article,
            "created_at": n.created_at,
            "queued_at": n.queued_at,
            "sent": n.sent,
            "bounced": n.bounced,
            "views": views.get(n.article_id, 0),
        }
        for n in notifications
    ]


def retention_days():
    return settings.STATS_RETENTION_DAYS


def export_articles():
    return (
        ArticleDay.objects.order_by("day", "article_id")
        .values_list("day", "article_id", "article__title", "views", "readers", "mail_views")
        .iterator()
    )


def export_referrers():
    return (
        ReferrerDay.objects.order_by("day", "article_id", "-views")
        .values_list("day", "article_id", "article__title", "host", "views")
        .iterator()
    )


def export_searches():
    return (
        SearchDay.objects.order_by("day", "-searches", "term")
        .values_list("day", "term", "searches", "empty")
        .iterator()
    )
