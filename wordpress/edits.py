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

from django.utils import timezone

from .models import ImportedVersion

# What the import writes, so what an edit here would change.
ARTICLE_FIELDS = (
    "title", "slug", "body", "excerpt", "status", "published_at", "comments_open", "author_id",
    "category_id", "is_sticky", "featured_image", "featured_image_alt",
)  # fmt: skip
PAGE_FIELDS = (
    "title", "slug", "parent_id", "body", "is_published", "menu_order", "comments_open",
)  # fmt: skip


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if hasattr(value, "name") and hasattr(value, "storage"):
        return value.name or ""  # a file field: the stored file's name
    return value


def fingerprint(row, tags=None, categories=None):
    """A hash of the imported fields of an article or page (an article's tags and other
    categories too: their ids, read from the database unless given), as they are now."""
    is_page = row._meta.model_name == "page"
    fields = PAGE_FIELDS if is_page else ARTICLE_FIELDS
    values = {name: _value(getattr(row, name)) for name in fields}
    if not is_page:
        for name, ids in (("tags", tags), ("categories", categories)):
            if ids is None:
                ids = getattr(row, name).values_list("pk", flat=True)
            values[name] = sorted(ids)
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class Fingerprints:
    """The fingerprints of one import: all read in one query at its start, written as rows are
    imported (the new ones a batch at a time: `flush`)."""

    BATCH = 500

    def __init__(self):
        self.kept = {}
        self.pending = {}  # key -> an ImportedVersion not written yet
        for article, page, value in ImportedVersion.objects.values_list(
            "article_id", "page_id", "fingerprint"
        ):
            self.kept["article" if article else "page", article or page] = value

    @staticmethod
    def key(row):
        return row._meta.model_name, row.pk

    def edited_here(self, row):
        """Whether the row differs from what the last import wrote into it."""
        kept = self.kept.get(self.key(row))
        return kept is not None and kept != fingerprint(row)

    def remember(self, row, tags=None, categories=None):
        """Keep the fingerprint of what this import wrote (or found unchanged)."""
        current = fingerprint(row, tags, categories)
        key = self.key(row)
        kept = self.kept.get(key)
        if key in self.pending:
            self.pending[key].fingerprint = current
        elif kept is None:
            # By id: the row itself (its body and all) is not kept in memory until then.
            column = f"{row._meta.model_name}_id"
            self.pending[key] = ImportedVersion(**{column: row.pk}, fingerprint=current)
            if len(self.pending) >= self.BATCH:
                self.flush()
        elif kept != current:
            ImportedVersion.objects.filter(**{row._meta.model_name: row}).update(
                fingerprint=current, imported_at=timezone.now()
            )
        self.kept[self.key(row)] = current

    def flush(self):
        """Write the fingerprints of rows that had none."""
        ImportedVersion.objects.bulk_create(self.pending.values())
        self.pending.clear()
