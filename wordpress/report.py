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
OUTCOMES = ("created", "updated", "unchanged", "kept", "skipped")


class Report:
    def __init__(self):
        self.counts = defaultdict(Counter)
        self.skipped = defaultdict(list)  # (kind, reason) -> [what]
        self.notes = defaultdict(list)  # kind -> [text]
        self.external_images = {}  # address -> None (an ordered set)
        self.external_files = {}
        # Block-editor blocks: those left out (the old site's own lists and parts) by name and
        # count; those kept as HTML without a meaning here, by name, with the posts they are in.
        self.blocks_left_out = Counter()
        self.unmapped_blocks = defaultdict(list)
        # Rows staff edited here since the last import, left as they are: (kind, id, title, url)
        self.edited = []
        self.dry_run = False

    def count(self, kind, outcome, n=1):
        self.counts[kind][outcome] += n

    def skip(self, kind, what, reason):
        self.count(kind, "skipped")
        self.skipped[(kind, reason)].append(str(what))

    def note(self, kind, text):
        self.notes[kind].append(text)

    def edited_here(self, kind, wp_id, title, url):
        self.count(kind, "kept")
        self.edited.append((kind, wp_id, title, url))

    def blocks(self, wp_id, found):
        self.blocks_left_out.update(found.left_out)
        for name in sorted(found.unmapped):
            self.unmapped_blocks[name].append(str(wp_id))

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
        if self.edited:
            yield (
                "Edited here since the last import, so left as they are (import with "
                "--overwrite to take the export's version instead):"
            )
            for kind, wp_id, title, url in self.edited:
                yield f"  {kind[:-1]} {wp_id} “{title}” ({url})"
        if self.blocks_left_out:
            yield (
                "Blocks left out, the old site's own lists and parts (this site shows its own): "
                + ", ".join(f"{name} ×{n}" for name, n in sorted(self.blocks_left_out.items()))
            )
        if self.unmapped_blocks:
            yield "Blocks with no meaning here, kept as their HTML (sanitised); check these posts:"
            for name, posts in sorted(self.unmapped_blocks.items()):
                shown = posts if limit is None else posts[:limit]
                more = f", … {len(posts) - len(shown)} more" if len(posts) > len(shown) else ""
                yield f"  {name}: {', '.join(shown)}{more}"
        if self.external_images:
            yield (
                f"{len(self.external_images)} images keep their old address (copy them with "
                "--media-dir, or edit the articles):"
            )
            yield from (f"  {url}" for url in self.external_images)
        if self.external_files:
            yield f"{len(self.external_files)} linked files keep their old address:"
            yield from (f"  {url}" for url in self.external_files)
