"""Reading the values of a WordPress export (ids, dates, names, addresses, slugs) and checking
that they fit here. Shared by the importers of every kind of row."""

import datetime
import re
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_ipv46_address
from django.utils.text import slugify

from articles.models import validate_slug_not_reserved

WORDPRESS_SLUG = re.compile(r"[-\w]+")


def integer(value):
    """WordPress's ids and numbers are text; 0 for none or nonsense."""
    try:
        return int(str(value or "0").strip())
    except ValueError:
        return 0


def first_meta(meta, key):
    values = meta.get(key) or [""]
    return (values[0] or "").strip()


def shorten(text, length):
    """At most `length` characters, cut at a word where there is one, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def parse_wp_date(value):
    """A naive datetime from WordPress's "YYYY-MM-DD HH:MM:SS"; None for "0000-00-00 …"."""
    try:
        return datetime.datetime.strptime((value or "").strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def valid_email(address):
    if not address or len(address) > 254:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def valid_ip(address):
    if not address:
        return False  # most exports' comments have none: no validator (and its exception) each
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return False
    return True


def slug_allowed(slug):
    try:
        validate_slug_not_reserved(slug)
    except ValidationError:
        return False
    return True


def wordpress_slug(wp_slug, title, fallback, length):
    """(slug, the WordPress slug it replaces or None). WordPress percent-encodes non-ASCII
    slugs (post_name, a term's nicename); decoded, they are slugs here as they are
    (`/επίπεδο-2/`). Only what no slug may hold (spaces, punctuation) is made one."""
    raw = unquote((wp_slug or "").strip())
    if raw and WORDPRESS_SLUG.fullmatch(raw) and len(raw) <= length:
        return raw, None
    slug = (
        slugify(raw, allow_unicode=True)[:length].strip("-")
        or slugify(title, allow_unicode=True)[:length].strip("-")
        or fallback
    )
    return slug, (raw or None)


def free_slug(model, slug, length, exclude=None):
    """`slug`, or `slug`-2, -3… when another row of `model` has it."""
    candidate, n = slug, 1
    while model.objects.filter(slug=candidate).exclude(pk=exclude).exists():
        n += 1
        candidate = f"{slug[: length - len(str(n)) - 1]}-{n}"
    return candidate
