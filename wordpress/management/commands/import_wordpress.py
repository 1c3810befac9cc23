from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import import_wordpress
from wordpress.wxr import WXRError


class Command(BaseCommand):
    help = (
        "Imports a WordPress export (WXR 1.1/1.2, or WordPress.com's .zip of them): authors, "
        "categories, tags, posts, pages, comments with their threads, and attachments. Keyed by "
        "WordPress ids, so running it again updates what changed and adds nothing twice, and "
        "leaves what staff edited here since (--overwrite to replace it). Sends no mail. Set "
        "TIME_ZONE to the old blog's time zone first, so old links keep working."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="the export: .xml or .zip")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read and check everything, report what would happen, save nothing",
        )
        parser.add_argument(
            "--media-dir",
            metavar="DIR",
            help="a copy of the old site's wp-content/uploads: images are copied from it "
            "(without it, images keep their old addresses and are listed)",
        )
        parser.add_argument(
            "--create-users",
            action="store_true",
            help="also make a staff account (Authors group, no password yet) for each author",
        )

        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="take the export's version of articles and pages staff edited here since the "
            "last import (without it they are left as they are, and listed)",
        )

    def handle(
        self, *args, files, dry_run, media_dir, create_users, overwrite, verbosity, **options
    ):
        progress = self.stdout.write if verbosity >= 2 else None
        try:
            report = import_wordpress(
                files,
                media_dir=media_dir,
                dry_run=dry_run,
                create_users=create_users,
                overwrite=overwrite,
                progress=progress,
            )
        except WXRError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        if verbosity >= 1:
            for line in report.lines(verbosity):
                self.stdout.write(line)
