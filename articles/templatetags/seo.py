"""Template helpers for what the world outside the site reads: absolute URLs and JSON-LD."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import seo

register = template.Library()

# As django.utils.html.json_script escapes: nothing inside can close the <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def absolute(url):
    """A path (or an already absolute URL) as an absolute address on SITE_URL."""
    return seo.absolute_url(str(url)) if url else ""


@register.filter
def json_ld(data):
    """`data` as a <script type="application/ld+json"> element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def article_structured_data(article, tags=(), publisher="", references=()):
    return json_ld(
        seo.article_structured_data(article, tags=tags, publisher=publisher, references=references)
    )


@register.simple_tag
def practice_structured_data(site):
    return json_ld(seo.practice_structured_data(site))
