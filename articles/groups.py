"""The staff groups, Editors and Authors, and their permissions: ensured after every migrate.

Each app says what the groups may do with its own models, in its AppConfig:

    staff_permissions = {"Editors": ["comment", "like"], "Authors": ["view_author"]}

A model's name stands for all of that model's permissions (add, change, delete, view and its
own, such as publish_article); anything else is one permission's codename. After `migrate` (and
`flush`) both groups exist and hold at least what the apps declare; permissions staff added by
hand are kept. The data migrations that first made the groups stay as history.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS


def declared_permissions(app_config):
    return getattr(app_config, "staff_permissions", {})


def ensure_staff_groups(sender=None, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """post_migrate receiver: create the groups and grant what every app declares."""
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return  # auth is not migrated here (e.g. `migrate auth zero`)
    grants = {}
    for app_config in global_apps.get_app_configs():
        declared = declared_permissions(app_config)
        if not declared:
            continue
        # Django makes an app's permissions after that app's own post_migrate; later apps'
        # would not exist yet.
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
        permissions = list(
            Permission.objects.using(using)
            .filter(content_type__app_label=app_config.label)
            .select_related("content_type")
        )
        for group, entries in declared.items():
            for entry in entries:
                matched = [p for p in permissions if entry in (p.content_type.model, p.codename)]
                if not matched:
                    raise ImproperlyConfigured(
                        f"{app_config.label}: staff_permissions names {entry!r}, which is "
                        "neither one of its models nor one of its permissions."
                    )
                grants.setdefault(group, []).extend(matched)
    for name, permissions in grants.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*permissions)
