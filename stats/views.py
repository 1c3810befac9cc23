import csv
import logging
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from redis import RedisError

from guard.decorators import same_site_post
from guard.requests import client_ip
from subscriptions.admin import spreadsheet_safe

from . import counting, privacy, reports
from .public import is_public_article

logger = logging.getLogger(__name__)

# A beacon is a few short fields; anything longer is not one of ours.
MAX_BODY_BYTES = 2048
PERMISSION = "stats.view_statistics"
MAX_ID = 2**63  # a primary key never reaches it; larger numbers would trouble the database


def _nothing():
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"  # every view must reach us: no cache may answer
    return response


def _refused(request, refusal):
    return HttpResponseForbidden("Only this site's pages count their views.")


@require_POST
@same_site_post(refused=_refused)  # no rate limit: counting one would cost a write per view
def beacon(request):
    """One page actually shown to a reader: count it, or quietly don't.

    Sent by static/js/stats.js (`navigator.sendBeacon`). Readers who ask not to be tracked,
    speculative fetches, bots and signed-in staff get the same empty answer as everyone else.
    """
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        return HttpResponseBadRequest("Too long.")
    if privacy.declined(request) or privacy.prefetch(request):
        return _nothing()
    user_agent = request.headers.get("User-Agent", "")
    if privacy.is_bot(user_agent) or _is_staff(request):
        return _nothing()
    body = request.body
    if len(body) > MAX_BODY_BYTES:  # sent without a length
        return HttpResponseBadRequest("Too long.")
    try:
        data = dict(parse_qsl(body.decode(), max_num_fields=8))
        if "a" in data:
            article_id = int(data["a"])
            if 0 < article_id < MAX_ID and is_public_article(article_id):
                counting.count_view(
                    client_ip(request),
                    user_agent,
                    article_id,
                    host=privacy.referrer_host(data.get("r"), request),
                    from_mail=data.get("m") == "1",
                )
        elif "q" in data:
            term = privacy.search_term(data["q"])
            if term:
                counting.count_search(term, found=data.get("f") == "1")
        else:
            return HttpResponseBadRequest("Nothing to count.")
    except ValueError:  # not a number, not UTF-8, too many fields
        return HttpResponseBadRequest("Not a beacon.")
    except (RedisError, DatabaseError):
        # Never the reader's problem; and never their address or agent in the log.
        logger.warning("stats: a view could not be counted", exc_info=True)
    return _nothing()


def _is_staff(request):
    # Only a request with a session cookie costs a session lookup; readers have none (and
    # their beacons skip the session middleware: stats.middleware).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated and request.user.is_staff


def _statistics_view(view):
    """Staff with the statistics permission only, inside the admin (login, no caching)."""

    def checked(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(checked)


def _days(request):
    try:
        days = int(request.GET.get("days", reports.DEFAULT_DAYS))
    except ValueError:
        days = reports.DEFAULT_DAYS
    return days if days in reports.PERIODS else reports.DEFAULT_DAYS


@_statistics_view
def dashboard(request):
    counting.flush()  # staff see every view counted so far, not the last batch written
    days = _days(request)
    context = {
        **admin.site.each_context(request),
        "title": "Statistics",
        "days": days,
        "periods": reports.PERIODS,
        "summary": reports.summary(),
        "chart": reports.chart(reports.daily(reports.CHART_DAYS)),
        "top_articles": reports.top_articles(days),
        "top_referrers": reports.top_referrers(days),
        "failed_searches": reports.failed_searches(days),
        "top_searches": reports.top_searches(days),
        "followers": reports.followers_by_week(),
        "mails": reports.new_article_mails(),
        "retention_days": reports.retention_days(),
    }
    return render(request, "stats/dashboard.html", context)


EXPORTS = {
    "articles": (
        ["day", "article id", "article", "views", "readers", "views from mail"],
        reports.export_articles,
    ),
    "referrers": (["day", "article id", "article", "from site", "views"], reports.export_referrers),
    "searches": (["day", "search term", "searches", "found nothing"], reports.export_searches),
}


@_statistics_view
def export_csv(request, kind):
    if kind not in EXPORTS:
        raise Http404("No such export.")
    counting.flush()
    header, rows = EXPORTS[kind]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="statistics-{kind}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows():
        # Titles and search terms are typed by people: never let a spreadsheet run them.
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response
