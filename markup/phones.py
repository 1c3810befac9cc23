"""Phone numbers a reader can tap: `tel:` addresses, and links around numbers written in text.

Numbers are recognised by Google's libphonenumber (the `phonenumbers` package), not by a home-made
pattern: it knows each country's lengths and prefixes, so a year range, a dose or a postcode is
not mistaken for a number. Numbers written without a country code are read as numbers of
settings.PHONE_REGION (the practice's country).
"""

import re

import phonenumbers
from django.conf import settings
from django.utils.html import escape

# Text inside these is never linked: it is a link already, or code shown as written.
_SKIP = frozenset({"a", "code", "pre", "kbd"})
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")


def _region():
    return getattr(settings, "PHONE_REGION", "US")


def tel_url(number, region=None):
    """`tel:` address (E.164, e.g. tel:+15550100142) for a number as people write it; "" if it
    has too few digits to be dialled."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, region or _region())
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number(parsed):
        return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}" if len(digits.lstrip("+")) >= 3 else ""


def _link_text(text, region):
    # `text` is escaped HTML text between tags: unescaping is not needed, as a phone number
    # contains no character HTML escapes except "+" and digits, which are never escaped.
    out, last = [], 0
    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    ):
        href = "tel:" + phonenumbers.format_number(
            match.number, phonenumbers.PhoneNumberFormat.E164
        )
        out.append(text[last : match.start])
        out.append(f'<a href="{escape(href)}">{match.raw_string}</a>')
        last = match.end
    out.append(text[last:])
    return "".join(out)


def link_phone_numbers(html, region=None):
    """HTML with every valid phone number in its text made a `tel:` link (not inside links or
    code). `html` is well-formed, as Markdown writes it; the result is sanitised afterwards."""
    region = region or _region()
    parts = _TAG.split(html)
    skipping = 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            name = _TAG_NAME.match(part)
            if name and name.group(2).lower() in _SKIP and not part.endswith("/>"):
                skipping += -1 if name.group(1) else 1
                skipping = max(skipping, 0)
        elif part and not skipping and any(map(str.isdigit, part)):
            parts[index] = _link_text(part, region)
    return "".join(parts)
