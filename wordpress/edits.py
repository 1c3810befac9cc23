"""Whether staff edited an imported article or page here since its last import.

The import keeps a fingerprint of what it wrote into each row (`ImportedVersion`): a hash of the
fields it sets, as saved. A later import compares the row as it is now with that fingerprint;
when they differ, someone changed the row here, and the import leaves it as it is (and says so)
unless it was run with --overwrite. Rows imported before fingerprints were kept have none: they
are taken as unedited, as every re-import treated them until then.
"""

import datetime
import hashlib
import json

from .models import ImportedVersion

# What the import writes, so what an edit here would change.
ARTICLE_FIELDS = (
    "title", "slug", "body", "excerpt", "status", "published_at", "comments_open", "author_id",
    "category_id", "featured_image", "featured_image_alt",
)  # fmt: skip
PAGE_FIELDS = ("title", "slug", "body", "is_published", "menu_order", "comments_open")


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):
        return value.name or ""  # a file field: the stored file's name
    return value


def fingerprint(row):
    """A hash of the imported fields of an article or page, tags included, as they are now."""
    fields = PAGE_FIELDS if row._meta.model_name == "page" else ARTICLE_FIELDS
    values = {name: _value(getattr(row, name)) for name in fields}
    if row._meta.model_name == "article":
        values["tags"] = sorted(row.tags.values_list("pk", flat=True))
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _key(row):
    return {row._meta.model_name: row}


def edited_here(row):
    """Whether the row differs from what the last import wrote into it."""
    kept = ImportedVersion.objects.filter(**_key(row)).values_list("fingerprint", flat=True)
    kept = kept.first()
    return kept is not None and kept != fingerprint(row)


def remember(row):
    """Keep the fingerprint of what this import wrote (or found unchanged)."""
    current = fingerprint(row)
    kept = ImportedVersion.objects.filter(**_key(row)).first()
    if kept is None:
        ImportedVersion.objects.create(**_key(row), fingerprint=current)
    elif kept.fingerprint != current:
        kept.fingerprint = current
        kept.save(update_fields=["fingerprint", "imported_at"])
