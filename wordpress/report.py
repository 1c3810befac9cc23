"""What an import did, kind by kind, for the person who ran it."""

from collections import Counter, defaultdict

KINDS = (
    "authors",
    "users",
    "categories",
    "tags",
    "posts",
    "pages",
    "comments",
    "attachments",
    "images",
)
OUTCOMES = ("created", "updated", "unchanged", "skipped")


class Report:
    def __init__(self):
        self.counts = defaultdict(Counter)
        self.skipped = defaultdict(list)  # (kind, reason) -> [what]
        self.notes = defaultdict(list)  # kind -> [text]
        self.external_images = {}  # address -> None (an ordered set)
        self.external_files = {}
        self.dry_run = False

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def skip(self, kind, what, reason):
        self.count(kind, "skipped")
        self.skipped[(kind, reason)].append(str(what))

    def note(self, kind, text):
        self.notes[kind].append(text)

    def keep_external(self, url, image=True):
        (self.external_images if image else self.external_files)[url] = None

    def lines(self, verbosity=1):
        """The report as lines of text; verbosity 2 lists every skipped item, 1 the first few."""
        limit = None if verbosity >= 2 else 10
        kinds = [k for k in KINDS if k in self.counts] + sorted(set(self.counts) - set(KINDS))
        title = (
            "Dry run: nothing was saved. It would have imported:" if self.dry_run else "Imported:"
        )
        yield title
        for kind in kinds:
            counts = self.counts[kind]
            parts = ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o])
            yield f"  {kind:<12} {parts or 'none'}"
        if self.skipped:
            yield "Skipped:"
            for (kind, reason), items in sorted(self.skipped.items()):
                shown = items if limit is None else items[:limit]
                more = f", … {len(items) - len(shown)} more" if len(items) > len(shown) else ""
                yield f"  {len(items)} {kind}: {reason} ({', '.join(shown)}{more})"
        for kind in sorted(self.notes):
            notes = self.notes[kind]
            yield f"Notes on {kind}:"
            shown = notes if limit is None else notes[: limit * 3]
            for text in shown:
                yield f"  - {text}"
            if len(notes) > len(shown):
                yield f"  … {len(notes) - len(shown)} more (run with -v 2 to see them all)"
        if self.external_images:
            yield (
                f"{len(self.external_images)} images keep their old address (copy them with "
                "--media-dir, or edit the articles):"
            )
            yield from (f"  {url}" for url in self.external_images)
        if self.external_files:
            yield f"{len(self.external_files)} linked files keep their old address:"
            yield from (f"  {url}" for url in self.external_files)
