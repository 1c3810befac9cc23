"""The Editors and Authors groups hold their permissions after every migrate."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from articles.groups import ensure_staff_groups

pytestmark = pytest.mark.django_db

EVERY = ("add", "change", "delete", "view")
EDITORS = sorted(
    [
        f"{app}.{action}_{model}"
        for app, models in {
            "articles": [
                "article",
                "articleredirect",
                "category",
                "page",
                "pageredirect",
                "sitesettings",
                "tag",
            ],
            "authors": ["author"],
            "comments": ["comment", "like"],
            "education": ["carecallout", "glossaryterm", "reference"],
            "images": ["mediaimage"],
            "subscriptions": ["delivery", "digest", "follower", "notification", "suppression"],
        }.items()
        for model in models
        for action in EVERY
    ]
    + ["articles.publish_article", "stats.view_articleday", "stats.view_statistics"]
    # Editors see the comment mail log (follow-ups, moderation notices) the dashboard counts.
    + ["comments.view_commentmail"]
    # And the log of the medical reviewers' weekly mail.
    + ["medreview.view_reviewreminder"]
)
AUTHORS = [
    "articles.add_article",
    "articles.add_tag",
    "articles.change_article",
    "articles.view_article",
    "articles.view_category",
    "articles.view_tag",
    "authors.view_author",
    "education.add_reference",
    "education.change_reference",
    "education.delete_reference",
    "education.view_carecallout",
    "education.view_glossaryterm",
    "education.view_reference",
    "images.add_mediaimage",
    "images.change_mediaimage",
    "images.view_mediaimage",
]


def permissions_of(name):
    group = Group.objects.get(name=name)
    return sorted(
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    )


def test_the_groups_hold_the_permissions_they_always_had():
    assert len(EDITORS) == 81
    assert permissions_of("Editors") == EDITORS
    assert permissions_of("Authors") == AUTHORS


def test_migrate_brings_back_a_missing_group_and_a_missing_permission():
    Group.objects.filter(name="Authors").delete()
    Group.objects.get(name="Editors").permissions.remove(
        Permission.objects.get(codename="publish_article")
    )
    call_command("migrate", verbosity=0)
    assert permissions_of("Editors") == EDITORS
    assert permissions_of("Authors") == AUTHORS


def test_permissions_staff_added_by_hand_are_kept():
    extra = Permission.objects.get(codename="view_wordpressattachment")
    Group.objects.get(name="Authors").permissions.add(extra)
    call_command("migrate", verbosity=0)
    assert permissions_of("Authors") == sorted([*AUTHORS, "wordpress.view_wordpressattachment"])


def test_a_declaration_naming_nothing_stops_the_migrate(monkeypatch):
    monkeypatch.setattr(
        apps.get_app_config("comments"),
        "staff_permissions",
        {"Editors": ["comentt"]},
        raising=False,
    )
    with pytest.raises(ImproperlyConfigured, match="'comentt'"):
        ensure_staff_groups()
