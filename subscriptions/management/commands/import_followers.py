from django.core.management.base import BaseCommand, CommandError

from subscriptions.importer import ImportFileError, import_followers


class Command(BaseCommand):
    help = (
        "Import the old blog's email followers from a WordPress.com subscriber export (CSV) as "
        "active followers. Sends no mail; running it again adds nothing; addresses that "
        "unsubscribed, bounced or were erased stay out."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="the subscriber export, e.g. subscribers.csv")
        parser.add_argument(
            "--source",
            default="the old blog's WordPress.com subscriber export",
            help="where the list comes from, for each follower's consent note",
        )

    def handle(self, *args, csv_file, source, verbosity, **options):
        try:
            report = import_followers(csv_file, source=source)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        lines = [
            f"Imported {report.imported} follower(s) as active; no mail was sent.",
            f"Already known here (left as they are): {report.already_following}.",
            f"Suppressed (unsubscribed, bounced or erased; left out): {report.suppressed}.",
        ]
        if report.not_active_on_old_blog:
            lines.append(
                f"Not receiving mail on the old blog (not confirmed or stopped; left out): "
                f"{report.not_active_on_old_blog}."
            )
        if report.duplicates_in_file:
            lines.append(f"Repeated in the file: {report.duplicates_in_file}.")
        if report.dates_not_understood:
            lines.append(
                f"Subscription dates not understood (today's date used): "
                f"{report.dates_not_understood}."
            )
        if verbosity >= 1:
            self.stdout.write("\n".join(lines))
        if report.invalid:
            self.stderr.write(f"{len(report.invalid)} row(s) skipped as invalid:")
            for line, reason in report.invalid:
                self.stderr.write(f"  line {line}: {reason}")
