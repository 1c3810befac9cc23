from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ops.backup import BackupError, media_path, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: replaces everything in the database "
        "DATABASE_URL names, and puts back the media files from <name>.media.tar.gz beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the database copy written by `manage.py backup`")
        parser.add_argument(
            "--no-media", action="store_true", help="the database only, leave the media files alone"
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="do not ask for confirmation",
        )  # fmt: skip

    def handle(self, *args, file, no_media, interactive, verbosity, **options):
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces everything in the database {name} with {file}. "
                "Type 'yes' to continue: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            result = restore(file, media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(f"Database {name} restored from {result.database}.")
            if result.media:
                self.stdout.write(f"Media files restored from {result.media}.")
            elif not no_media:
                self.stdout.write(f"No media files restored ({media_path(file)} not found).")
