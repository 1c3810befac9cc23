"""A batch of counts and the one transaction that adds it to the daily rows.

However many views a batch holds, writing it takes a handful of statements: one multi-row
`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n` per table (PostgreSQL and SQLite spell it
the same), plus, without Redis, one `INSERT … ON CONFLICT DO NOTHING RETURNING` that tells which
readers' hashes are new today. Adding (not setting) makes batches from any number of processes
commute: none overwrites another's counts.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction

from articles.models import Article

from .models import ArticleDay, ReferrerDay, SearchDay, SeenReader

CHUNK = 500


@dataclass
class Batch:
    views: Counter = field(default_factory=Counter)  # (day, article_id)
    readers: Counter = field(default_factory=Counter)  # (day, article_id), counted already
    mail: Counter = field(default_factory=Counter)  # (day, article_id)
    referrers: Counter = field(default_factory=Counter)  # (day, article_id, host)
    searches: Counter = field(default_factory=Counter)  # (day, term)
    empty: Counter = field(default_factory=Counter)  # (day, term)
    # Without Redis: hashes of readers not yet checked against today's (day, digest) -> article.
    digests: dict = field(default_factory=dict)
    hits: int = 0

    def __bool__(self):
        return self.hits > 0

    def merge(self, other):
        """Put a batch that could not be written back in front of newer counts."""
        for name in ("views", "readers", "mail", "referrers", "searches", "empty"):
            getattr(self, name).update(getattr(other, name))
        for key, article_id in other.digests.items():
            self.digests.setdefault(key, article_id)
        self.hits += other.hits


def _quote(name):
    return connection.ops.quote_name(name)


def _insert(model, keys, counts, rows, conflict):
    """One INSERT per CHUNK rows; `conflict` is the SQL after ON CONFLICT (...)."""
    table = model._meta.db_table
    key_columns = [model._meta.get_field(name).column for name in keys]
    columns = key_columns + [model._meta.get_field(name).column for name in counts]
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(chunk))
            sql = (
                f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))}) "
                f"VALUES {values} ON CONFLICT ({', '.join(map(_quote, key_columns))}) {conflict}"
            )
            cursor.execute(sql, [value for row in chunk for value in row])
            if "RETURNING" in conflict:
                returned.extend(cursor.fetchall())
    return returned


def _add(model, keys, counts, rows):
    table = _quote(model._meta.db_table)
    columns = [_quote(model._meta.get_field(name).column) for name in counts]
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns)
    _insert(model, keys, counts, rows, f"DO UPDATE SET {updates}")


def new_readers(digests):
    """Record today's hashes; only those no process had recorded yet come back, as readers."""
    if not digests:
        return Counter()
    rows = [(day, digest) for day, digest in digests]
    digest_column = _quote(SeenReader._meta.get_field("digest").column)
    inserted = _insert(
        SeenReader, ["day", "digest"], [], rows, f"DO NOTHING RETURNING {digest_column}"
    )
    by_digest = {digest: (day, article_id) for (day, digest), article_id in digests.items()}
    return Counter(by_digest[digest] for (digest,) in inserted)


def apply(batch):
    """Add the batch to the daily rows in one transaction; returns the rows it wrote."""
    # No savepoint of its own when the caller's transaction holds a batch marker (Redis).
    with transaction.atomic(savepoint=False):
        readers = batch.readers + new_readers(batch.digests)
        # An article deleted since its views were counted takes its figures with it.
        mentioned = {article_id for _, article_id in batch.views}
        mentioned |= {article_id for _, article_id, _ in batch.referrers}
        existing = set(Article.objects.filter(pk__in=mentioned).values_list("pk", flat=True))
        article_rows = [
            (day, article_id, views, readers[day, article_id], batch.mail[day, article_id])
            for (day, article_id), views in batch.views.items()
            if article_id in existing
        ]
        referrer_rows = [
            (day, article_id, host, views)
            for (day, article_id, host), views in batch.referrers.items()
            if article_id in existing
        ]
        search_rows = [
            (day, term, searches, batch.empty[day, term])
            for (day, term), searches in batch.searches.items()
        ]
        if article_rows:
            _add(ArticleDay, ["day", "article"], ["views", "readers", "mail_views"], article_rows)
        if referrer_rows:
            _add(ReferrerDay, ["day", "article", "host"], ["views"], referrer_rows)
        if search_rows:
            _add(SearchDay, ["day", "term"], ["searches", "empty"], search_rows)
    return len(article_rows) + len(referrer_rows) + len(search_rows) + len(batch.digests)
