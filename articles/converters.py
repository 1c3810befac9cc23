"""The path converters of an article's address, registered once for every app's URLs.

`PERMALINK` is the article's address (`/<yyyy>/<mm>/<dd>/<slug>/`); the addresses below it
(the comment feed, like, unlike, WordPress's old suffixes) are built on it, so every app reads
the date and slug alike and hands them to `Article.objects.at_permalink()`.
"""

from django.urls import register_converter


class Year:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

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
