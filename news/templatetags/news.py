from django import template
from django.conf import settings

from ..models import Item

register = template.Library()


def latest_items():
    return [
        {
            "title": item.title,
            "link": item.link,
            "published_at": item.published_at,
            "source": item.feed.name,
        }
        for item in Item.objects.filter(feed__active=True)
        .select_related("feed")
        .only("title", "link", "published_at", "feed__name")
        .order_by("-published_at", "-pk")[: settings.NEWS_BOX_ITEMS]
    ]


@register.inclusion_tag("news/_box.html", takes_context=True)
def news_box(context):
    """The sidebar's latest items from the feeds staff chose; nothing when there are none."""
    request = context.get("request")
    fragments = getattr(request, "fragments", None)
    items = fragments.fetch("news", latest_items) if fragments else latest_items()
    return {"items": items, "title": settings.NEWS_BOX_TITLE}
