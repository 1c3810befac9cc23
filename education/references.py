"""References: checking DOIs and PubMed ids as staff save them, and linking [n] in the text.

A DOI is "10." + a registrant code of 4 to 9 digits (dots allowed) + "/" + a suffix without
spaces (Crossref's advice for matching modern DOIs); a doi.org address or a "doi:" prefix is
accepted and stored as the bare DOI. A PubMed id (PMID) is a positive whole number of at most
8 digits.
"""

import re

from django.core.exceptions import ValidationError

_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/[^\s]+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_PMID = re.compile(r"^[1-9]\d{0,7}$")


def normalise_doi(value):
    return _DOI_PREFIX.sub("", (value or "").strip())


def validate_doi(value):
    if value and not _DOI.match(normalise_doi(value)):
        raise ValidationError(
            "“%(value)s” is not a DOI. A DOI starts with 10., then a number, a slash and the "
            "rest, e.g. 10.1000/xyz123: copy it from the article's page.",
            code="invalid_doi",
            params={"value": value},
        )


def validate_pmid(value):
    if value and not _PMID.match(value.strip()):
        raise ValidationError(
            "“%(value)s” is not a PubMed id: it is a number of up to 8 digits, e.g. 31234567 "
            "(shown as PMID on the article's PubMed page).",
            code="invalid_pmid",
            params={"value": value},
        )


_CITATION = re.compile(r"\[(\d{1,3})\]")


def link_citations(text, numbers, seen):
    """[n] in one run of escaped text as a link to reference n, for the numbers that exist.
    The first citation of each number gets an id, so the reference can link back to it."""

    def replace(match):
        number = int(match.group(1))
        if number not in numbers:
            return match.group(0)
        anchor = "" if number in seen else f' id="cite-{number}"'
        seen.add(number)
        return (
            f'<a class="citation" href="#ref-{number}"{anchor} '
            f'aria-label="Reference {number}">[{number}]</a>'
        )

    return _CITATION.sub(replace, text)
