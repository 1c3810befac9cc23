"""Links and descriptions for the world outside the site: absolute URLs, portable HTML for feeds
(and mail), and the schema.org structured data of an article.

Absolute addresses start from settings.SITE_URL (the sites framework's domain is kept on it, see
articles.apps), never from the Host header of whichever request happens to ask.
"""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
# Sanitised HTML always quotes attributes with double quotes (nh3 writes it so).
_ROOT_RELATIVE = re.compile(r'(\s(?:href|src)=")(?=/(?!/))')
_FRAGMENT = re.compile(r'(\shref=")(?=#)')


def absolute_url(url):
    """`url` (a path such as reverse() or a FileField gives) as an absolute http(s) address."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{settings.SITE_URL.split(':', 1)[0]}:{url}"
    return settings.SITE_URL + url


def portable_html(html, page_url):
    """HTML of the page at `page_url` that works away from the site (in a feed reader, a mail):
    absolute links, in-page links (footnotes) pointing into that page, no heading permalinks."""
    html = _HEADERLINK.sub("", html)
    html = _ROOT_RELATIVE.sub(lambda match: match.group(1) + settings.SITE_URL, html)
    return _FRAGMENT.sub(lambda match: match.group(1) + page_url, html)


def image_url(article):
    return absolute_url(article.featured_image.url) if article.featured_image else ""


def _iso(value):
    return timezone.localtime(value).isoformat(timespec="seconds")


def _person(author):
    person = {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }
    if author.credentials:
        person["honorificSuffix"] = author.credentials
    same_as = [url for url in (author.x_url, author.website) if url]
    if same_as:
        person["sameAs"] = same_as
    return person


def _subjects(article, tags):
    names = [tag.name for tag in tags]
    return names or [article.category.name]


def reference_structured_data(reference):
    """One source of an article, as schema.org's `citation` carries it."""
    work = {"@type": "ScholarlyArticle" if reference.doi or reference.pmid else "CreativeWork"}
    work["name"] = reference.title
    if reference.authors:
        work["author"] = reference.authors
    if reference.publisher:
        work["publisher"] = reference.publisher
    if reference.year:
        work["datePublished"] = str(reference.year)
    identifiers = [
        {"@type": "PropertyValue", "propertyID": kind, "value": value}
        for kind, value in (("DOI", reference.doi), ("PMID", reference.pmid))
        if value
    ]
    if identifiers:
        work["identifier"] = identifiers
    urls = [url for url in (reference.url, reference.doi_url, reference.pubmed_url) if url]
    if urls:
        work["url"] = urls[0]
    if len(urls) > 1:
        work["sameAs"] = urls[1:]
    return work


def article_structured_data(article, tags=(), publisher="", references=()):
    """schema.org JSON-LD for an article: a BlogPosting, or, once a clinician has reviewed it, a
    MedicalWebPage (which is what carries reviewedBy and lastReviewed) whose mainEntity is the
    BlogPosting. A plain dict: the template escapes it for a <script> element.
    """
    url = absolute_url(article.get_absolute_url())
    posting = {
        "@type": "BlogPosting",
        "headline": article.title,
        "description": article.description,
        "url": url,
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.last_modified),
        "author": _person(article.author),
        "publisher": {
            "@type": "Organization",
            "name": publisher,
            "url": absolute_url(reverse("articles:home")),
        },
        "articleSection": article.category.name,
        "wordCount": article.word_count,
        "inLanguage": settings.LANGUAGE_CODE,
    }
    if tags:
        posting["keywords"] = [tag.name for tag in tags]
    if references:
        posting["citation"] = [reference_structured_data(ref) for ref in references]
    if article.featured_image:
        image = {"@type": "ImageObject", "url": image_url(article)}
        if article.featured_image_width:
            image["width"] = article.featured_image_width
            image["height"] = article.featured_image_height
        posting["image"] = image
    if not article.reviewed_by:
        posting["mainEntityOfPage"] = {"@type": "WebPage", "@id": url}
        return {"@context": "https://schema.org", **posting}
    posting["mainEntityOfPage"] = {"@id": url}
    page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": article.title,
        "reviewedBy": _person(article.reviewed_by),
        # Written for patients, not clinicians (schema.org's MedicalAudienceType "Patient").
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        # What it is about: its tags (the conditions and treatments staff filed it under), else
        # its category.
        "about": [{"@type": "Thing", "name": name} for name in _subjects(article, tags)],
    }
    if article.last_reviewed:
        page["lastReviewed"] = article.last_reviewed.isoformat()
    page["mainEntity"] = posting
    return page


# What search engines show of a page, roughly: longer titles and descriptions are cut.
SEARCH_TITLE_CHARS = 60
SEARCH_DESCRIPTION_CHARS = 155


def search_preview(article):
    """What the article form's preview of a search result and a social card starts from (the
    saved article; static/js/seo-preview.js redraws it as staff type), and what to warn about."""
    title = article.title if article else ""
    description = article.description if article else ""
    address = absolute_url(article.get_absolute_url()) if article and article.pk else ""
    warnings = preview_warnings(
        title,
        description=article.meta_description.strip() or article.excerpt.strip() if article else "",
        has_image=bool(article and article.featured_image),
        image_alt=article.featured_image_alt if article else "",
    )
    return {
        "title": title,
        "description": description,
        "address": address,
        "site": settings.SITE_URL.split("://", 1)[-1],
        # Shown in the admin itself: the file from this site, not from SITE_URL.
        "image": article.featured_image.url if article and article.featured_image else "",
        "image_alt": article.featured_image_alt if article else "",
        "warnings": warnings,
        "title_chars": SEARCH_TITLE_CHARS,
        "description_chars": SEARCH_DESCRIPTION_CHARS,
    }


def preview_warnings(title, description, has_image, image_alt):
    """The same three warnings the script gives while staff type (keep them in step)."""
    warnings = []
    if len(title) > SEARCH_TITLE_CHARS:
        warnings.append(
            f"The title has {len(title)} characters: search results show about "
            f"{SEARCH_TITLE_CHARS}, so its end will be cut."
        )
    if not description:
        warnings.append(
            "No description: write one (or an excerpt), or search engines and shared links "
            "show the start of the text."
        )
    if has_image and not image_alt.strip():
        warnings.append("The featured image has no description for readers who cannot see it.")
    return warnings


def practice_structured_data(site):
    """schema.org JSON-LD for the practice behind the blog (a MedicalClinic), from the site
    settings; only the fields staff filled in."""
    clinic = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": site.practice,
        "url": absolute_url(reverse("articles:home")),
    }
    if site.logo:
        clinic["logo"] = clinic["image"] = absolute_url(site.logo.url)
    if site.phone_url:
        clinic["telephone"] = site.phone_url.removeprefix("tel:")
    if site.email:
        clinic["email"] = site.email
    address = {
        key: value
        for key, value in (
            ("streetAddress", site.street_address),
            ("addressLocality", site.address_locality),
            ("addressRegion", site.address_region),
            ("postalCode", site.postal_code),
            ("addressCountry", site.address_country),
        )
        if value
    }
    if address:
        clinic["address"] = {"@type": "PostalAddress", **address}
    hours = site.hours
    if hours:
        clinic["openingHours"] = [period.schema for period in hours]
    return clinic
