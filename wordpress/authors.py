"""WordPress authors: bylines here, and (with --create-users) staff accounts without passwords."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.text import slugify

from authors.models import Author

from .content import plain_text
from .values import free_slug, integer, shorten, valid_email


class Authors:
    def __init__(self, run):
        self.run = run
        self.report = run.report
        self.by_login = {}  # login -> Author
        self.users = {}  # WordPress user id -> User id

    def import_all(self):
        for login, data in self.run.site.authors.items():
            self.by_login[login] = self.author(login, data)

    def author_for(self, login):
        """The author of a post, by the login the export names."""
        login = (login or "").strip()
        if login not in self.by_login:
            # A post by someone the export does not list (WordPress.com does this for guests).
            self.report.note("authors", f"{login or '(nobody)'} is not among the export's authors")
            self.by_login[login] = self.author(login or "unknown", {})
        return self.by_login[login]

    def user_id(self, wp_user_id):
        """The staff account here of a WordPress user, or None."""
        return self.users.get(wp_user_id)

    def author(self, login, data):
        wp_id = integer(data.get("wp:author_id")) or None
        full = " ".join(
            filter(None, [data.get("wp:author_first_name"), data.get("wp:author_last_name")])
        )
        name = shorten(
            plain_text(data.get("wp:author_display_name") or full or login) or login, 120
        )
        slug = slugify(login)[:120] or f"author-{wp_id}"
        author = Author.objects.filter(wp_id=wp_id).first() if wp_id else None
        # Bylines are edited here (credentials, bio): an author, once here, is left as it is.
        outcome = "unchanged"
        if author is None:
            author = Author.objects.filter(slug=slug).first()
            if author is not None and None in (author.wp_id, wp_id):
                # Staff made this author before the import (or the export gives no id): the
                # same person. Their byline stays as staff wrote it.
                if wp_id is not None:
                    self.report.note("authors", f"{login} is the existing author /author/{slug}/")
                    author.wp_id, outcome = wp_id, "updated"
                    author.save()
            else:
                author = Author(name=name, slug=free_slug(Author, slug, 120), wp_id=wp_id)
                author.save()
                outcome = "created"
        self.report.count("authors", outcome)
        if self.run.create_users:
            self.link_user(author, login, data)
        if wp_id and author.user_id:
            self.users[wp_id] = author.user_id
        return author

    def link_user(self, author, login, data):
        """A staff account in the Authors group for a WordPress author, without a password: they
        set one through `manage.py changepassword`, or an editor does it for them."""
        User = get_user_model()
        username = login[:150]
        user = User.objects.filter(username=username).first()
        if user is None:
            email = (data.get("wp:author_email") or "").strip()
            user = User(
                username=username,
                email=email if valid_email(email) else "",
                first_name=(data.get("wp:author_first_name") or "")[:150],
                last_name=(data.get("wp:author_last_name") or "")[:150],
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
            group = Group.objects.filter(name="Authors").first()
            if group:
                user.groups.add(group)
            self.report.count("users", "created")
        else:
            self.report.count("users", "unchanged")
        if author.user_id is None and not Author.objects.filter(user=user).exists():
            author.user = user
            author.save()
