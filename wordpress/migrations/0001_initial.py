# WordPressAttachment was created by articles' 0005_wordpress_ids; it moves here with its table
# and rows. This migration only takes the model into this app's state (the table is still
# articles_wordpressattachment); 0002 renames the table and its index.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0005_wordpress_ids'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WordPressAttachment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('wp_id', models.PositiveBigIntegerField(unique=True, verbose_name='WordPress attachment id')),
                        ('slug', models.CharField(blank=True, max_length=200)),
                        ('url', models.CharField(help_text='Where the file is now: under MEDIA_URL, or its old address.', max_length=500)),
                        ('article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='wp_attachments', to='articles.article')),
                        ('page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='wp_attachments', to='articles.page')),
                    ],
                    options={
                        'verbose_name': 'WordPress attachment',
                        'db_table': 'articles_wordpressattachment',
                        'indexes': [models.Index(fields=['article', 'slug'], name='articles_wo_article_815c6d_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
