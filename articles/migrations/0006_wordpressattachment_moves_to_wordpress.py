# WordPressAttachment now belongs to the wordpress app (its 0001 takes the model, table and rows
# as they are): removed from this app's state only, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0005_wordpress_ids'),
        ('wordpress', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='WordPressAttachment')],
            database_operations=[],
        ),
    ]
