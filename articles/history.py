"""Revisions of articles and pages (django-reversion): what is kept, how two are compared, and
how one is restored.

A revision is kept for every save staff make: the admin form, the publish confirmation and a
restore each open a revision block (`ArticleAdmin`, `PageAdmin`). Imports and background
tasks (renditions) save outside one and keep none. An article edited here for the first time
gets a revision of the text it had before (`keep_original`), so the first edit can be undone.

Restoring brings back the words and their filing (title, body, excerpt, description, the
categories and the primary one, tags, the image's description, the medical review) and never the
address or the status: a published article stays published at the address it has, and, its
status unchanged, is not news to anyone (the followers' mail is sent once per article, when it
is first published).
"""

import difflib
import re
from dataclasses import dataclass

import reversion
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version

from .models import Article, Category, Page, Tag

ARTICLE_FIELDS = (
    "title", "slug", "body", "excerpt", "meta_description", "author", "category", "categories",
    "tags", "featured_image", "featured_image_alt", "status", "published_at", "reviewed_by",
    "last_reviewed", "review_interval_months", "comments_open",
)  # fmt: skip
PAGE_FIELDS = ("title", "slug", "body", "meta_description", "is_published", "menu_order")

# What a restore brings back (attnames); the address and the status always stay as they are.
RESTORED = {
    Article: (
        "title", "body", "excerpt", "meta_description", "featured_image_alt", "category_id",
        "reviewed_by_id", "last_reviewed", "review_interval_months", "comments_open",
    ),
    Page: ("title", "body", "meta_description"),
}  # fmt: skip

# What the comparison shows, in this order, with the label staff know from the form.
COMPARED = {
    Article: (
        ("title", "Title"), ("body", "Body"), ("excerpt", "Excerpt"),
        ("meta_description", "Search and sharing description"), ("category_id", "Primary category"),
        ("categories", "Categories"), ("tags", "Tags"), ("featured_image", "Featured image"),
        ("featured_image_alt", "Featured image description"), ("status", "Status"),
        ("published_at", "Publication time"), ("slug", "Slug"),
    ),
    Page: (
        ("title", "Title"), ("body", "Body"),
        ("meta_description", "Search and sharing description"), ("slug", "Slug"),
        ("is_published", "Published"),
    ),
}  # fmt: skip


# Compared line by line and word by word; the rest (choices, times, slugs) as before → after.
WORDS = {"title", "body", "excerpt", "meta_description", "featured_image_alt"}


def register():
    if not reversion.is_registered(Article):
        reversion.register(Article, fields=ARTICLE_FIELDS)
    if not reversion.is_registered(Page):
        reversion.register(Page, fields=PAGE_FIELDS)


def versions_of(obj):
    """The object's revisions, newest first, with who made each."""
    return Version.objects.get_for_object(obj).select_related("revision__user")


def keep_original(obj, user):
    """Before the first revision of an object saved before history was kept (an import, the
    demo content): a revision of it as it is, so the edit about to be made can be undone."""
    if obj is None or obj.pk is None or versions_of(obj).exists():
        return
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("As it was before its history was kept.")
        reversion.add_to_revision(type(obj)._base_manager.get(pk=obj.pk))


def restore(obj, version, user):
    """Bring back `version`'s words onto `obj` through its ordinary save (rendered, dated and
    announced to the page cache like any edit), as a new revision of its own."""
    model = type(obj)
    old = version.field_dict
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Restored the version of {label(version)}.")
        for attname in RESTORED[model]:
            if attname not in old:
                continue
            if attname == "category_id" and not Category.objects.filter(pk=old[attname]).exists():
                continue  # deleted since: the article keeps the category it has
            setattr(obj, attname, old[attname])
        obj.save()
        if model is Article and "tags" in old:
            obj.tags.set(Tag.objects.filter(pk__in=old["tags"]))
        if model is Article and "categories" in old:
            # Those not deleted since, and the primary one always.
            categories = Category.objects.filter(pk__in=[*old["categories"], obj.category_id])
            obj.categories.set(categories)


def label(version):
    return timezone.localtime(version.revision.date_created).strftime("%-d %b %Y, %H:%M")


@dataclass
class Change:
    label: str
    before: str
    after: str
    lines: list  # of (kind, html): "same", "removed", "added"; text fields only


def compare(model, old, new):
    """What changed from version `old` to version `new`, field by field."""
    changes = []
    for attname, name in COMPARED[model]:
        before, after = display(attname, old.field_dict), display(attname, new.field_dict)
        if before == after:
            continue
        words = attname in WORDS
        changes.append(Change(name, before, after, diff_lines(before, after) if words else []))
    return changes


def display(attname, fields):
    value = fields.get(attname)
    if attname == "category_id":
        return str(Category.objects.filter(pk=value).first() or "—") if value else "—"
    if attname in ("tags", "categories"):
        model = Tag if attname == "tags" else Category
        names = model.objects.filter(pk__in=value or []).values_list("name", flat=True)
        return ", ".join(sorted(names)) or "—"
    if attname == "published_at":
        return timezone.localtime(value).strftime("%-d %b %Y, %H:%M") if value else "—"
    if attname == "status":
        return Article.Status(value).label if value else "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "—"
    return str(value)


_WORDS = re.compile(r"\s+|[^\s]+")


def diff_lines(before, after):
    """A unified, line-by-line comparison as escaped HTML: unchanged lines, removed and added
    ones, and inside a changed line the words that changed marked with <del> and <ins>."""
    old, new = before.splitlines(), after.splitlines()
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [("same", format_html("{}", line)) for line in old[i1:i2]]
            continue
        removed, added = old[i1:i2], new[j1:j2]
        paired = min(len(removed), len(added)) if op == "replace" else 0
        # Lines replaced one for one show the words that changed; the rest, whole.
        for a, b in zip(removed[:paired], added[:paired], strict=True):
            minus, plus = _word_diff(a, b)
            rows += [("removed", minus), ("added", plus)]
        rows += [("removed", format_html("{}", line)) for line in removed[paired:]]
        rows += [("added", format_html("{}", line)) for line in added[paired:]]
    return _with_context(rows)


CONTEXT = 2  # unchanged lines shown around each change, as `diff -U2` would


def _with_context(rows):
    """Long runs of unchanged lines folded to a note, keeping CONTEXT lines beside changes."""
    folded, run = [], []

    def flush(at_end):
        keep_head = CONTEXT if folded else 0
        keep_tail = 0 if at_end else CONTEXT
        if len(run) <= keep_head + keep_tail + 1:
            folded.extend(run)
        else:
            folded.extend(run[:keep_head])
            hidden = len(run) - keep_head - keep_tail
            folded.append(("skipped", f"… {hidden} unchanged line{'s' if hidden != 1 else ''} …"))
            folded.extend(run[len(run) - keep_tail :])
        run.clear()

    for row in rows:
        if row[0] == "same":
            run.append(row)
            continue
        flush(at_end=False)
        folded.append(row)
    flush(at_end=True)
    return folded


def _word_diff(a, b):
    old, new = _WORDS.findall(a), _WORDS.findall(b)
    minus, plus = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if op == "equal":
            minus.append(("{}", "".join(old[i1:i2])))
            plus.append(("{}", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            minus.append(("<del>{}</del>", "".join(old[i1:i2])))
        if j2 > j1:
            plus.append(("<ins>{}</ins>", "".join(new[j1:j2])))
    return _join(minus), _join(plus)


def _join(parts):
    return format_html_join("", "{}", ((format_html(pattern, text),) for pattern, text in parts))
