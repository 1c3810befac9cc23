"""Writing many comments at once from another system (the WordPress import): the comments app's
public door for it.

The caller hands over plain data, one `ImportedComment` per comment, keyed by the old system's
id (`wp_id`) and naming its parent by that id. This module owns everything that makes them
comments here: the text rendered as `Comment.save()` renders it, the status's consequences,
django-comments-xtd's thread columns (`threads.plan_threads`) and visibility, and writing the
rows in bulk. Importing the same comments again updates what changed and adds nothing twice.

No signals are sent and nothing is mailed: an imported comment is history, not news.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_comments.models import Comment as BaseComment
from django_comments_xtd.models import XtdComment

from .models import Comment, ip_digest
from .threads import Node, plan_threads

Status = Comment.Status
BATCH = 500
# What an import sets (and compares on a second import), by attribute name.
IMPORTED_FIELDS = (
    "content_type_id", "object_pk", "site_id", "user_id", "user_name", "user_email",
    "user_url", "comment", "text_html", "submit_date", "ip_hash", "status", "is_removed",
    "wp_id", "wp_parent_id",
)  # fmt: skip
PLACE_FIELDS = ("thread_id", "parent_id", "level", "order", "nested_count", "is_public")


@dataclass
class ImportedComment:
    """One comment as the old system had it; values already fit the fields (lengths, a valid
    email, URL and IP address or an empty one)."""

    wp_id: int
    wp_parent_id: int | None  # the comment it replied to, by the old system's id
    user_name: str
    user_email: str
    user_url: str
    user_id: int | None  # a user here, when the old system's user has one
    text: str  # plain text, as a reader would type it
    submit_date: datetime.datetime
    ip_address: str | None
    status: str  # a Status value


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # (wp_id, wp_parent_id) of replies whose parent is not among the target's comments: they
    # are shown at the top level.
    orphans: list = field(default_factory=list)
    # How many replies nested deeper than COMMENTS_MAX_DEPTH are shown under an earlier comment
    # of their thread (their wp_parent_id still names the one they replied to).
    moved: int = 0


class CommentImport:
    """One import of many targets' comments (`import_comments(..., session=)`): the old
    system's ids of the comments already here, read once (ids only), so that comments nobody
    imported before cost no query to look for; and the new comments of new targets, written a
    batch at a time, several targets' together. Call `flush()` at the end of the import."""

    def __init__(self):
        self.ids = set(Comment.objects.filter(wp_id__isnull=False).values_list("wp_id", flat=True))
        self.waiting = []  # placed, not yet written: (comment, its thread's top, its parent)

    def add(self, placed):
        self.waiting.extend(placed)
        if len(self.waiting) >= BATCH:
            self.flush()

    def flush(self):
        """Write the comments waiting."""
        _write_placed(self.waiting)
        self.waiting = []


def _write_placed(placed):
    """Write placed comments, (comment, its thread's top, its parent) each: ids first, then the
    thread columns that name them."""
    if not placed:
        return
    _insert_base_rows([comment for comment, _, _ in placed])
    for comment, top, parent in placed:
        comment.thread_id, comment.parent_id = top.pk, parent.pk
    _insert_child_rows([comment for comment, _, _ in placed])


def import_comments(target, comments, *, new_target=False, session=None):
    """Create or update the `comments` (ImportedComment) on `target` (an article), place every
    comment of `target` in its thread and work out who is visible. Returns an ImportResult.

    `new_target`: the caller has just created `target`, so no comment is on it yet. `session`:
    a CommentImport for the whole import (the new comments of a new target may then be written
    only at its next batch or `flush()`); without one, every comment is looked for and written
    at once."""
    result = ImportResult()
    content_type = ContentType.objects.get_for_model(target)
    wanted = {}
    for data in comments:
        row = Comment(
            content_type_id=content_type.pk,
            object_pk=str(target.pk),
            site_id=settings.SITE_ID,
            user_id=data.user_id,
            user_name=data.user_name,
            user_email=data.user_email,
            user_url=data.user_url,
            comment=data.text,
            submit_date=data.submit_date,
            ip_hash=ip_digest(data.ip_address),  # never the address itself
            status=data.status,
            wp_id=data.wp_id,
            wp_parent_id=data.wp_parent_id,
            is_public=False,  # until it is placed: visibility depends on the thread
        )
        row.derive_fields()
        wanted[data.wp_id] = row
    if not wanted:
        return result
    existing = {}
    ids = [wp_id for wp_id in wanted if session is None or wp_id in session.ids]
    if ids and session is not None:
        session.flush()  # what it looks for may be waiting to be written
    for start in range(0, len(ids), BATCH):
        for comment in Comment.objects.filter(wp_id__in=ids[start : start + BATCH]):
            existing[comment.wp_id] = comment
    new, changed, fields = [], [], set()
    for wp_id, row in wanted.items():
        comment = existing.get(wp_id)
        if comment is None:
            new.append(row)
            continue
        differing = [f for f in IMPORTED_FIELDS if getattr(comment, f) != getattr(row, f)]
        if differing:
            for name in differing:
                setattr(comment, name, getattr(row, name))
            fields.update(differing)
            changed.append(comment)
    if changed:
        Comment.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
    # Ids in the order the comments were written: threads are shown in id order.
    new.sort(key=lambda c: (c.submit_date, c.wp_id))
    if new_target and not existing:
        # All the target's comments are new: placed before they are written, so each row is
        # written once, as it stays.
        placed = []
        for comment, place in zip(new, _plan_new(new, result), strict=True):
            # is_public goes into the base row; thread and parent, indexes here, become the ids
            # of those comments once their base rows are written (_write_placed).
            for key, value in place.__dict__.items():
                setattr(comment, key, value)
            placed.append((comment, new[place.thread_id], new[place.parent_id]))
        if session is not None:
            session.add(placed)
        else:
            _write_placed(placed)
    else:
        if session is not None:
            session.flush()  # its rows are counted among the target's by _place
        _insert_base_rows(new)
        _place(content_type, target, new, result)
        _insert_child_rows(new)
        public = [c.pk for c in new if c.is_public]
        for start in range(0, len(public), BATCH):
            BaseComment.objects.filter(pk__in=public[start : start + BATCH]).update(is_public=True)
    if session is not None:
        session.ids.update(c.wp_id for c in new)
    result.created = len(new)
    result.updated = len(changed)
    result.unchanged = len(wanted) - len(new) - len(changed)
    return result


def _plan_new(new, result):
    """The places of the comments of a target that had none, in the order of `new` (which is
    the order their ids will have), with their thread and parent given as indexes into `new`."""
    index = {comment.wp_id: i for i, comment in enumerate(new)}
    nodes = []
    for i, comment in enumerate(new):
        parent = index.get(comment.wp_parent_id) if comment.wp_parent_id else None
        if comment.wp_parent_id and parent is None:
            result.orphans.append((comment.wp_id, comment.wp_parent_id))
        approved = comment.status == Status.APPROVED
        nodes.append(Node(i, parent, (comment.submit_date, comment.wp_id or 0), approved))
    places, moved = plan_threads(nodes, settings.COMMENTS_MAX_DEPTH - 1)
    result.moved = len(moved)
    return [places[i] for i in range(len(new))]


def _place(content_type, target, new, result):
    """Thread columns and visibility for all the target's comments.

    `new` comments have their base row (and so their id) but not yet the rest: their columns
    are set before those rows are written. Rows already here are updated where they moved.
    """
    rows = list(
        Comment.objects.filter(content_type=content_type, object_pk=str(target.pk)).only(
            "pk", "wp_id", "wp_parent_id", "parent_id", "submit_date", "status",
            "thread_id", "level", "order", "nested_count", "is_public",
        )
    )  # fmt: skip
    by_wp_id = {row.wp_id: row.pk for row in rows + new if row.wp_id}
    nodes = []
    for row in rows + new:
        if row.wp_id:
            parent = by_wp_id.get(row.wp_parent_id) if row.wp_parent_id else None
            if row.wp_parent_id and parent is None:
                result.orphans.append((row.wp_id, row.wp_parent_id))
        else:
            # Written here after an earlier import: xtd's own columns say where it sits.
            parent = row.parent_id if row.parent_id != row.pk else None
        approved = row.status == Status.APPROVED
        nodes.append(Node(row.pk, parent, (row.submit_date, row.wp_id or 0), approved))
    places, moved = plan_threads(nodes, settings.COMMENTS_MAX_DEPTH - 1)
    result.moved = len(moved)
    for comment in new:
        for key, value in places[comment.pk].__dict__.items():
            setattr(comment, key, value)
    stale = []
    for row in rows:
        place = places[row.pk]
        if any(getattr(row, k) != v for k, v in place.__dict__.items()):
            for key, value in place.__dict__.items():
                setattr(row, key, value)
            stale.append(row)
    if stale:
        Comment.objects.bulk_update(stale, list(PLACE_FIELDS), batch_size=BATCH)


# Comment is three tables deep (django_comments → django_comments_xtd → comments) and Django's
# bulk_create refuses such models. New comments are written a table at a time instead: the base
# table through bulk_create, which returns the new ids, and the two tables below it with those ids
# through the call Model.save() itself makes for each table (`_insert`), a batch at a time. No
# signals are sent: nothing reacts to an imported comment.


def _insert_base_rows(comments):
    """Write the django_comments rows of new comments; sets their ids."""
    if not comments:
        return
    fields = [f for f in BaseComment._meta.concrete_fields if not f.primary_key]
    rows = [BaseComment(**{f.attname: getattr(c, f.attname) for f in fields}) for c in comments]
    if connection.features.can_return_rows_from_bulk_insert:
        BaseComment.objects.bulk_create(rows, batch_size=BATCH)
    else:
        for row in rows:
            row.save()
    for comment, row in zip(comments, rows, strict=True):
        comment.id = comment.comment_ptr_id = comment.xtdcomment_ptr_id = row.pk


def _insert_child_rows(comments):
    """Write the django_comments_xtd and comments rows of comments whose base rows exist."""
    for model in (XtdComment, Comment):
        for start in range(0, len(comments), BATCH):
            model._base_manager._insert(
                comments[start : start + BATCH],
                fields=model._meta.local_concrete_fields,
                using=connection.alias,
                raw=True,
            )
