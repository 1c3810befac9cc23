"""Template tags: the counting beacon for public pages, and the figures staff see.

- `{% stats_beacon %}` (base.html): the script tag that counts a page once it is shown, on an
  article or on the first page of search results only. It reads the page's own context (the
  article, the search query and its result count), so articles need not know about statistics.
- `{% article_statistics article %}` (the article's admin change page): that article's figures.
- `{% statistics_summary %}`: today, 7 and 30 days with a small chart and a link to the full
  statistics, for the staff dashboard to include.

The staff tags render nothing for someone without the statistics permission.
"""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article

from .. import counting, reports
from ..views import PERMISSION

register = template.Library()


@register.simple_tag(takes_context=True)
def stats_beacon(context):
    article = context.get("article")
    if isinstance(article, Article) and article.is_public:
        data = format_html('data-article="{}"', article.pk)
    elif context.get("search_query"):
        page = context.get("page_obj")
        if page is None or page.number != 1:
            return ""
        found = "1" if page.paginator.count else "0"
        data = format_html('data-search="{}" data-found="{}"', context["search_query"], found)
    else:
        return ""
    return format_html(
        '<script src="{}" data-endpoint="{}" {} defer></script>',
        static("js/stats.js"),
        reverse("stats:beacon"),
        data,
    )


def _allowed(context):
    request = context.get("request")
    return request is not None and request.user.has_perm(PERMISSION)


@register.inclusion_tag("stats/_article_panel.html", takes_context=True)
def article_statistics(context, article):
    if not _allowed(context) or article is None or not article.pk:
        return {"allowed": False}
    counting.flush()  # what staff see includes the views of the last few seconds
    return {
        "allowed": True,
        "article": article,
        "summary": reports.summary(article),
        "chart": reports.chart(reports.daily(reports.CHART_DAYS, article)),
        "referrers": reports.top_referrers(reports.DEFAULT_DAYS, article),
        "mails": reports.new_article_mails(article=article),
    }


@register.inclusion_tag("stats/_summary.html", takes_context=True)
def statistics_summary(context):
    if not _allowed(context):
        return {"allowed": False}
    counting.flush()
    return {
        "allowed": True,
        "summary": reports.summary(),
        "chart": reports.chart(reports.daily(14)),
    }
