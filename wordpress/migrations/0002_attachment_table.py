# The attachment table and its index take this app's names; its content type (and with it the
# permissions staff groups may hold on it) moves from articles to here.

from django.db import migrations


def move_content_type(apps, schema_editor, old="articles", new="wordpress"):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=new, model='wordpressattachment').exists():
        types.filter(app_label=old, model='wordpressattachment').update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="wordpress", new="articles")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('wordpress', '0001_initial'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='wordpressattachment',
            new_name='wordpress_w_article_70a099_idx',
            old_name='articles_wo_article_815c6d_idx',
        ),
        migrations.AlterModelTable(
            name='wordpressattachment',
            table=None,
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
