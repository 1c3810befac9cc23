"""WordPressAttachment moved from articles to wordpress: a database that has rows keeps them."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wordpress.models import WordPressAttachment

# Where a database made before the move stands.
BEFORE = [("articles", "0005_wordpress_ids"), ("wordpress", None)]


@pytest.mark.django_db(transaction=True)
def test_attachments_and_their_permissions_survive_the_move(client):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[:1]).apps
    page = old.get_model("articles", "Page").objects.create(
        title="About", slug="about", body="Who we are.", body_html="<p>Who we are.</p>"
    )
    attachments = old.get_model("articles", "WordPressAttachment").objects
    attachments.create(wp_id=41, slug="team-photo", page_id=page.pk, url="/media/team.jpg")
    attachments.create(wp_id=43, slug="intake-form", url="https://old.example.com/intake.pdf")
    # As the site had them: the model's content type under articles, a group allowed to view it.
    types = old.get_model("contenttypes", "ContentType").objects
    types.filter(model="wordpressattachment").delete()
    old_type = types.create(app_label="articles", model="wordpressattachment")
    permission = old.get_model("auth", "Permission").objects.create(
        content_type=old_type, codename="view_wordpressattachment", name="Can view it"
    )
    old.get_model("auth", "Group").objects.create(name="Archivists").permissions.add(permission)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    tables = connection.introspection.table_names()
    assert "wordpress_wordpressattachment" in tables
    assert "articles_wordpressattachment" not in tables
    rows = WordPressAttachment.objects.order_by("wp_id")
    assert [(a.wp_id, a.slug, a.page_id, a.url) for a in rows] == [
        (41, "team-photo", page.pk, "/media/team.jpg"),
        (43, "intake-form", None, "https://old.example.com/intake.pdf"),
    ]
    [kept] = Group.objects.get(name="Archivists").permissions.all()
    assert (kept.content_type.app_label, kept.codename) == ("wordpress", "view_wordpressattachment")
    assert client.get("/?attachment_id=41")["Location"] == "/about/"
