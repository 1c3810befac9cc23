"""Importing a WordPress export: authors, categories, tags, posts, pages, comments, attachments.

`import_wordpress()` is the whole of it; the management command only reports. The file is read
twice, both times by streaming: first for what posts refer to (authors, terms, attachments:
`scan`), and to find a broken file before anything is written; then for the posts and pages
themselves. Everything is written in one transaction (rolled back for a dry run), inside
`articles.signals.importing()`, so listeners send no mail. Comments are written through the
comments app's own import (`comments.importing`), never through the comment form's flow, so no
confirmation, follow-up or moderation mail is queued.

Each kind of row has its module (authors, terms, posts and pages, comments, attachments);
`Importer` is one run of them, holding what they share. Every row keeps its WordPress id
(`wp_id`): a second import updates what changed and adds nothing twice.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.signals import importing

from . import wxr
from .attachments import Attachments
from .authors import Authors
from .comments import Comments
from .edits import Fingerprints
from .media import Media
from .posts import Posts
from .report import Report
from .scan import Site, scan
from .terms import Terms
from .values import parse_wp_date
from .wxr import WXRError

__all__ = ["Importer", "Site", "import_wordpress"]


def import_wordpress(
    paths, *, media_dir=None, dry_run=False, create_users=False, overwrite=False, progress=None
):
    """Import the WordPress export(s) at `paths`; returns a Report. Raises WXRError, having
    written nothing, for a file that cannot be read or is not a WordPress export. Articles and
    pages staff edited here since the last import are left as they are, unless `overwrite`."""
    if media_dir is not None and not Path(media_dir).is_dir():
        raise WXRError(
            f"--media-dir {media_dir} is not a directory (a copy of wp-content/uploads)."
        )
    documents = wxr.sources(paths)
    site = scan(documents)
    report = Report()
    report.dry_run = dry_run
    media = Media(media_dir, report, dry_run=dry_run)
    # The flag wraps the transaction, so on_commit callbacks see it as well.
    with importing(), transaction.atomic():
        Importer(site, report, media, create_users, progress, overwrite).run(documents)
        if dry_run:
            transaction.set_rollback(True)
    return report


class Importer:
    """One import: what the first pass found, the report, the media copier and the time zone,
    shared by the importer of each kind of row, which reach each other through it."""

    def __init__(self, site, report, media, create_users=False, progress=None, overwrite=False):
        self.site = site
        self.overwrite = overwrite
        self.report = report
        self.media = media
        self.create_users = create_users
        self.progress = progress or (lambda message: None)
        self.tz = timezone.get_current_timezone()
        self.dates_checked = 0
        self.dates_off = 0
        self.authors = Authors(self)
        self.terms = Terms(self)
        self.posts = Posts(self)
        self.comments = Comments(self)
        self.attachments = Attachments(self)
        self.fingerprints = Fingerprints()  # what earlier imports wrote into articles and pages

    def run(self, documents):
        self.authors.import_all()
        self.terms.import_all()
        for document in documents:
            for name, element in wxr.iter_channel(document):
                if name == "item" and wxr.post_type_of(element) != "attachment":
                    self.posts.import_item(wxr.read_item(element))
        self.posts.finish()
        self.comments.finish()
        self.fingerprints.flush()
        self.attachments.import_all()
        if self.dates_off:
            self.report.note(
                "dates",
                f"{self.dates_off} of {self.dates_checked} dates in the export are not their "
                f"UTC time in TIME_ZONE={settings.TIME_ZONE}: the old blog used another time "
                "zone. Set TIME_ZONE to it and import again, or old links to posts published "
                "near midnight will miss.",
            )

    def local_datetime(self, local, gmt):
        """An aware datetime for WordPress's local `post_date`, read in TIME_ZONE.

        Permalinks hold the local date, so the local time is what counts. The UTC time beside
        it only settles the hour that happens twice when clocks go back, and tells us whether
        TIME_ZONE is the old blog's time zone.
        """
        naive, utc = parse_wp_date(local), parse_wp_date(gmt)
        if naive is None:
            return utc.replace(tzinfo=datetime.UTC) if utc else None
        # In UTC, so it compares equal to what the database returns: an aware time in a
        # repeated hour never equals one in another zone (PEP 495).
        candidates = [
            naive.replace(tzinfo=self.tz, fold=fold).astimezone(datetime.UTC) for fold in (0, 1)
        ]
        if utc is not None:
            utc = utc.replace(tzinfo=datetime.UTC)
            self.dates_checked += 1
            if utc in candidates:
                return utc
            self.dates_off += 1
        # The earlier of a repeated hour; a time skipped by the clocks lands just after the gap,
        # on the same day either way.
        return candidates[0]
