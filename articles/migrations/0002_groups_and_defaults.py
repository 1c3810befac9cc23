from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ["articles", "authors"]
AUTHOR_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    ("articles", "view_category"),
    ("articles", "view_tag"),
    ("articles", "add_tag"),
    ("authors", "view_author"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label__in=EDITOR_APPS))
    authors, _ = Group.objects.get_or_create(name="Authors")
    for app_label, codename in AUTHOR_PERMISSIONS:
        authors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    Category = apps.get_model("articles", "Category")
    Category.objects.get_or_create(slug="uncategorized", defaults={"name": "Uncategorized"})
    SiteSettings = apps.get_model("articles", "SiteSettings")
    SiteSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
