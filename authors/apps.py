from django.apps import AppConfig


class AuthorsConfig(AppConfig):
    name = "authors"
    # What the staff groups may do here (articles.groups).
    staff_permissions = {"Editors": ["author"], "Authors": ["view_author"]}
