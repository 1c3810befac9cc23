from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the site: a consistent copy of the database (SQLite's online backup, or "
        "pg_dump's custom format on PostgreSQL) and, next to it, a tar of the media files. "
        "Restore with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="where to write the database copy "
            "(default: backups/backstory-<UTC time>.sqlite3, or .dump on PostgreSQL); "
            "the media go beside it as <name>.media.tar.gz",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="the database only, without the media files"
        )

    def handle(self, *args, file, no_media, verbosity, **options):
        try:
            result = backup(file, media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(f"Database: {result.database}")
            if result.media:
                self.stdout.write(f"Media files: {result.media}")
            elif not no_media:
                self.stdout.write("Media files: none here (nothing uploaded yet).")
