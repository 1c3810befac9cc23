from django import template
from django.conf import settings

from ..models import Item

register = template.Library()


@register.inclusion_tag("news/_box.html")
def news_box():
    """The sidebar's latest items from the feeds staff chose; nothing when there are none."""
    items = list(
        Item.objects.filter(feed__active=True)
        .select_related("feed")
        .only("title", "link", "published_at", "feed__name")
        .order_by("-published_at", "-pk")[: settings.NEWS_BOX_ITEMS]
    )
    return {"items": items, "title": settings.NEWS_BOX_TITLE}
