from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


def staff_who_can_sign_in():
    """Usernames of active staff with a password (the demo's practice-team account has none)."""
    return list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(password__startswith="!")
        .order_by("pk")
        .values_list("username", flat=True)[:3]
    )


def where_mail_goes():
    backend = settings.EMAIL_BACKEND
    if backend == "mailer.outbox.EmailBackend":
        folder = settings.EMAIL_OUTBOX
        return f"saved in {folder}/ (open {folder}/index.html in a browser)"
    if backend.endswith("smtp.EmailBackend"):
        return f"sent through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    return "printed in this terminal"


def welcome_lines(url):
    staff = staff_who_can_sign_in()
    if staff:
        sign_in = f"sign in at {url}admin/ as {' or '.join(staff)}"
    else:
        sign_in = f"no staff account yet: run `make createsuperuser`, then sign in at {url}admin/"
    return [
        f"Back Story is running at {url}",
        f"  Staff: {sign_in}",
        f"  Mail:  {where_mail_goes()}",
        "  Stop:  Ctrl-C",
    ]


class Command(BaseCommand):
    help = (
        "Print where the site runs, how staff sign in and where its mail goes (make run prints "
        "this last). With --has-staff, print nothing and exit 1 if no staff member can sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.SITE_URL + "/")
        parser.add_argument("--has-staff", action="store_true")

    def handle(self, *args, **options):
        if options["has_staff"]:
            if not staff_who_can_sign_in():
                raise SystemExit(1)
            return
        width = max(len(line) for line in welcome_lines(options["url"]))
        self.stdout.write("=" * width)
        for line in welcome_lines(options["url"]):
            self.stdout.write(self.style.SUCCESS(line) if line.startswith("Back") else line)
        self.stdout.write("=" * width)
