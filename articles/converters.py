"""The path converters of an article's address, registered once for every app's URLs.

`PERMALINK` is the article's address (`/<yyyy>/<mm>/<dd>/<slug>/`); the addresses below it
(the comment feed, like, unlike, WordPress's old suffixes) are built on it, so every app reads
the date and slug alike and hands them to `Article.objects.at_permalink()`.
"""

import datetime

from django.urls import register_converter


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value):
        # Year 0 is no date (`/0000/` was a 500), and 0001 and 9999 would leave Python's dates
        # when a day's bounds move to UTC; a ValueError means "no such address": a 404.
        year = int(value)
        if not datetime.MINYEAR < year < datetime.MAXYEAR:
            raise ValueError(f"no archive for the year {value}")
        return year

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class WordPressSlug:
    """Django's slug plus non-ASCII letters: WordPress permalinks may hold them (percent-encoded).

    Our own slugs are ASCII; an imported post whose WordPress slug was not keeps its old address
    as a redirect, which this lets the article route reach.
    """

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(Year, "yyyy")
register_converter(TwoDigits, "dd")
register_converter(WordPressSlug, "wpslug")

PERMALINK = "<yyyy:year>/<dd:month>/<dd:day>/<wpslug:slug>/"
