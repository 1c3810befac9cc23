from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.demo import KINDS, DemoContentError, load_demo
from articles.signals import load_others_demo

SINGULAR = {
    "authors": "author", "categories": "category", "tags": "tag", "articles": "article",
    "pages": "page",
}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Load the demo content: two fictional authors, three categories, seven tags, six "
        "articles, four pages and the site settings, then the other apps' demo content (a comment "
        "conversation with likes). Safe to run again: anything whose slug "
        "already exists is left as it is (staff edits included), and site settings are filled "
        "in only where they still hold their defaults."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def report(kind, obj, created):
            if verbosity < 2:
                return
            if created:
                self.stdout.write(self.style.SUCCESS(f"Created {SINGULAR[kind]}: {obj}"))
            else:
                self.stdout.write(f"Already present, left alone: {SINGULAR[kind]} {obj}")

        try:
            counts = load_demo(report=report)
            others = load_others_demo()
        except (DemoContentError, ValidationError) as error:
            raise CommandError(f"The demo content could not be loaded: {error}") from error

        if verbosity < 1:
            return
        for kind in KINDS:
            created, present = counts["created"][kind], counts["present"][kind]
            line = f"{kind.capitalize()}: {created} created, {present} already present"
            self.stdout.write(self.style.SUCCESS(line) if created else line)
        fields = counts["settings"]
        self.stdout.write(
            self.style.SUCCESS(f"Site settings: set {', '.join(fields)}")
            if fields
            else "Site settings: left as they were"
        )
        for line in others:
            self.stdout.write(line)
