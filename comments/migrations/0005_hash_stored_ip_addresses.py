"""Issue 11 finding 7: commenters' IP addresses were stored raw and shown in the admin. Each
existing address becomes its keyed hash (as comments.models.ip_digest makes it) and is erased."""

from django.db import migrations

from guard.hashing import keyed_hash

BATCH = 500


def hash_addresses(apps, schema_editor):
    # django-contrib-comments' table holds the address, ours the hash (multi-table inheritance).
    Comment = apps.get_model("comments", "Comment")
    BaseComment = apps.get_model("django_comments", "Comment")
    while True:
        rows = list(
            Comment.objects.filter(ip_address__isnull=False).values_list("pk", "ip_address")[
                :BATCH
            ]
        )
        if not rows:
            break
        for pk, address in rows:
            digest = keyed_hash(address.strip().lower(), "comments.ip", length=16)
            Comment.objects.filter(pk=pk).update(ip_hash=digest)
        BaseComment.objects.filter(pk__in=[pk for pk, _ in rows]).update(ip_address=None)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_ip_hash"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    # Nothing to undo to: the raw addresses are gone.
    operations = [migrations.RunPython(hash_addresses, migrations.RunPython.noop)]
