from django.apps import AppConfig


class EducationConfig(AppConfig):
    """What turns a blog post into patient education: readability, a glossary, references and
    "when to seek care" callouts. The models and the pure functions are here; `articles` renders
    them into an article (it knows this app; this app never imports `articles`)."""

    name = "education"
    verbose_name = "Patient education"
    staff_permissions = {
        "Editors": ["glossaryterm", "carecallout", "reference"],
        "Authors": [
            "view_glossaryterm", "view_carecallout", "add_reference", "change_reference",
            "delete_reference", "view_reference",
        ],
    }  # fmt: skip
