"""Load the demo content into the database, once.

Everything is keyed on slugs: an object whose slug already exists is left exactly as it is (staff
may have edited it), and only what is missing gets created, so running the loader again changes
nothing. Site settings are filled in only where a field still holds its default value.

The prose lives in Markdown files beside this module (authors/, articles/, pages/), each opening
with a small front matter between two `---` lines:

    ---
    title: Sciatica: why your leg hurts when the problem is in your back
    slug: sciatica-why-your-leg-hurts
    tags: sciatica, herniated-disc
    ---
    The Markdown body...

One `key: value` per line; the value is everything after the first colon, so it may contain
colons itself. Featured images and portraits are JPEGs in images/ (drawn by make_images.py).
"""

from datetime import date, datetime
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from articles.models import Article, Category, Page, SiteSettings, Tag
from authors.models import Author
from education.models import CareCallout, GlossaryTerm

from . import content

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
# The kinds of object the loader creates, in the order it creates them.
KINDS = ("authors", "categories", "tags", "articles", "pages")

AUTHOR_KEYS = {"name", "slug", "credentials", "x_handle", "website", "photo"}
ARTICLE_KEYS = {
    "title", "slug", "author", "category", "tags", "published_at", "reviewed_by",
    "last_reviewed", "comments_open", "image", "image_alt", "excerpt",
}  # fmt: skip
PAGE_KEYS = {"title", "slug", "menu_order"}
YES, NO = {"yes", "true"}, {"no", "false"}


class DemoContentError(ValueError):
    """A demo file is malformed or refers to something that doesn't exist."""


def load_demo(report=None):
    """Create whichever demo objects are missing; return how many were created and found.

    `report(kind, obj, created)`, if given, is called once per object (kind is one of KINDS).
    Returns {"created": {kind: n}, "present": {kind: n}, "settings": [names of the
    SiteSettings fields that were filled in]}. Runs in one transaction.
    """
    counts = {"created": dict.fromkeys(KINDS, 0), "present": dict.fromkeys(KINDS, 0)}

    def note(kind, obj, created):
        counts["created" if created else "present"][kind] += 1
        if report:
            report(kind, obj, created)

    stored = []  # files written to storage, deleted again if the transaction rolls back
    try:
        with transaction.atomic():
            authors = {}
            for path in markdown_files("authors"):
                author = load_author(path, note, stored)
                authors[author.slug] = author
            categories = {
                slug: ensure("categories", Category, slug, note, name=name, description=text)[0]
                for slug, (name, text) in content.CATEGORIES.items()
            }
            tags = {
                slug: ensure("tags", Tag, slug, note, name=name)[0]
                for slug, name in content.TAGS.items()
            }
            load_patient_education()
            for path in markdown_files("articles"):
                load_article(path, note, stored, authors=authors, categories=categories, tags=tags)
            pages = {}
            for path in markdown_files("pages"):
                page = load_page(path, note)
                pages[page.slug] = page
            counts["settings"] = fill_site_settings(authors, pages, stored)
    except BaseException:
        for field_file in stored:
            field_file.delete(save=False)
        raise
    return counts


def load_patient_education():
    """The demo's glossary words and "when to seek care" box, before the articles that use
    them are rendered; staff edits are kept."""
    for term, (other_forms, explanation) in content.GLOSSARY.items():
        GlossaryTerm.objects.get_or_create(
            term=term, defaults={"other_forms": other_forms, "explanation": explanation}
        )
    for slug, (title, body) in content.CALLOUTS.items():
        CareCallout.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


def markdown_files(folder):
    return sorted((HERE / folder).glob("*.md"))


def read_markdown(path, allowed_keys):
    """Split a demo file into its front matter (a dict of strings) and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    head, separator, body = text.removeprefix("---\n").partition("\n---\n")
    if not text.startswith("---\n") or not separator:
        raise DemoContentError(f"{path.name}: the front matter must sit between two --- lines")
    meta = {}
    for number, line in enumerate(head.splitlines(), start=2):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in allowed_keys:
            raise DemoContentError(
                f"{path.name}, line {number}: expected 'key: value' with a key among "
                f"{', '.join(sorted(allowed_keys))}"
            )
        meta[key] = value.strip()
    return meta, body.strip() + "\n"


def ensure(kind, model, slug, note, existing=None, attach=None, **fields):
    """Return (obj, created): the object with `slug` if it exists, else a new one from `fields`.

    `existing` overrides how an existing object is looked up; `attach(obj)` stores its files
    before validation. An object that already exists is returned untouched.
    """
    if existing is None:
        existing = model.objects.filter(slug=slug)
    obj = existing.first()
    if obj is not None:
        note(kind, obj, False)
        return obj, False
    obj = model(slug=slug, **fields)
    if attach:
        attach(obj)
    # Fields the model computes on save (rendered HTML, counts) are not ours to validate.
    obj.full_clean(exclude=[f.name for f in model._meta.fields if not f.editable])
    obj.save()
    note(kind, obj, True)
    return obj, True


def attach_image(field_file, filename, stored):
    """Store a shipped image through the model field, so upload_to and dimensions apply."""
    path = IMAGES / filename
    if not path.is_file():
        raise DemoContentError(f"images/{filename} does not exist")
    with path.open("rb") as f:
        field_file.save(filename, File(f), save=False)
    stored.append(field_file)


def lookup(objects, slug, path):
    try:
        return objects[slug]
    except KeyError:
        raise DemoContentError(f"{path.name}: there is no demo {slug!r}") from None


def yes_or_no(value, path):
    if value.lower() not in YES | NO:
        raise DemoContentError(f"{path.name}: expected yes or no, not {value!r}")
    return value.lower() in YES


def load_author(path, note, stored):
    meta, bio = read_markdown(path, AUTHOR_KEYS)
    photo = meta.pop("photo", "")
    author, _ = ensure(
        "authors",
        Author,
        meta.pop("slug"),
        note,
        attach=(lambda author: attach_image(author.photo, photo, stored)) if photo else None,
        bio=bio,
        **meta,
    )
    return author


def load_article(path, note, stored, *, authors, categories, tags):
    meta, body = read_markdown(path, ARTICLE_KEYS)
    slug, image, reviewer = meta["slug"], meta.get("image"), meta.get("reviewed_by")
    article, created = ensure(
        "articles",
        Article,
        slug,
        note,
        # An article whose slug staff changed still answers at the old one: it is present.
        existing=Article.objects.filter(Q(slug=slug) | Q(old_urls__slug=slug)),
        attach=(lambda a: attach_image(a.featured_image, image, stored)) if image else None,
        title=meta["title"],
        body=body,
        excerpt=meta.get("excerpt", ""),
        author=lookup(authors, meta["author"], path),
        category=lookup(categories, meta["category"], path),
        status=Article.Status.PUBLISHED,
        published_at=timezone.make_aware(datetime.fromisoformat(meta["published_at"])),
        reviewed_by=lookup(authors, reviewer, path) if reviewer else None,
        last_reviewed=date.fromisoformat(meta["last_reviewed"]) if reviewer else None,
        comments_open=yes_or_no(meta.get("comments_open", "yes"), path),
        featured_image_alt=meta.get("image_alt", ""),
    )
    if created:
        names = [name.strip() for name in meta.get("tags", "").split(",") if name.strip()]
        article.tags.set([lookup(tags, name, path) for name in names])
        article.categories.set([article.category])
    return article


def load_page(path, note):
    meta, body = read_markdown(path, PAGE_KEYS)
    page, _ = ensure(
        "pages",
        Page,
        meta["slug"],
        note,
        title=meta["title"],
        body=body,
        menu_order=int(meta.get("menu_order", 0)),
    )
    return page


def fill_site_settings(authors, pages, stored):
    """Fill in the demo's site settings where staff haven't changed them; return the fields set."""
    settings = SiteSettings.load()
    wanted = {**content.SITE_SETTINGS}
    wanted["featured_author"] = authors.get(wanted["featured_author"])
    for name in ("disclaimer_page", "privacy_page"):
        wanted[name] = pages.get(wanted[name])
    changed = []
    for name, filename in content.SITE_LOGOS.items():
        if not getattr(settings, name):
            attach_image(getattr(settings, name), filename, stored)
            changed.append(name)
    for name, value in wanted.items():
        field = SiteSettings._meta.get_field(name)
        current = getattr(settings, field.attname)
        new = value.pk if isinstance(value, Model) else value
        if current == field.get_default() and new not in (None, current):
            setattr(settings, name, value)
            changed.append(name)
    if changed:
        settings.full_clean(exclude=[f.name for f in SiteSettings._meta.fields if not f.editable])
        settings.save()
    return changed
