from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..renditions import rendition_name, srcset

register = template.Library()


@register.simple_tag
def picture(image, alt, widths=None, sizes="100vw", lazy=True, css_class="", width=None,
            height=None):  # fmt: skip
    """<picture> with WebP and JPEG srcsets when renditions exist, else the original image.

    Give width and height (the original's, from the model's width/height fields, which cost no
    file access) so the page never shifts as it loads.
    """
    if not image:
        return ""
    loading = mark_safe(
        ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high" decoding="async"'
    )
    size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
    klass = format_html(' class="{}"', css_class) if css_class else ""
    if not widths:
        return format_html('<img src="{}" alt="{}"{}{}{}>', image.url, alt, size, klass, loading)
    fallback = widths[min(1, len(widths) - 1)]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" alt="{}"{}{}{}></picture>',
        srcset(image.name, widths, "webp"),
        sizes,
        default_storage.url(rendition_name(image.name, fallback, "jpg")),
        srcset(image.name, widths, "jpg"),
        sizes,
        alt,
        size,
        klass,
        loading,
    )
