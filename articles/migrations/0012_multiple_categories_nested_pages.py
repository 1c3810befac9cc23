import articles.models
import django.db.models.deletion
from django.db import migrations, models


def fill_paths_and_categories(apps, schema_editor):
    Page = apps.get_model("articles", "Page")
    Article = apps.get_model("articles", "Article")
    Page.objects.update(path=models.F("slug"))
    through = Article.categories.through
    through.objects.bulk_create(
        [
            through(article_id=pk, category_id=category_id)
            for pk, category_id in Article.objects.values_list("pk", "category_id").iterator()
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0011_review_interval'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='categories',
            field=models.ManyToManyField(blank=True, help_text='Every category whose archive lists the article.', related_name='articles', to='articles.category'),
        ),
        migrations.AddField(
            model_name='article',
            name='is_sticky',
            field=models.BooleanField(default=False, help_text="Shown first on the home page, above newer articles (WordPress's sticky posts).", verbose_name='pinned to the top of the home page'),
        ),
        migrations.AddField(
            model_name='page',
            name='parent',
            field=models.ForeignKey(blank=True, help_text="The page this one is below, as in WordPress: its address starts with the parent's.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='articles.page', verbose_name='parent page'),
        ),
        migrations.AddField(
            model_name='page',
            name='path',
            field=models.CharField(default='', editable=False, max_length=1000),
        ),
        # Every page so far is at /<slug>/; every article is filed under its one category.
        migrations.RunPython(fill_paths_and_categories, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='page',
            name='path',
            field=models.CharField(editable=False, max_length=1000, unique=True),
        ),
        migrations.AlterField(
            model_name='article',
            name='category',
            field=models.ForeignKey(default=articles.models.default_category_id, help_text='Shown above the title; one of the categories below.', on_delete=django.db.models.deletion.PROTECT, related_name='primary_articles', to='articles.category', verbose_name='primary category'),
        ),
        migrations.AlterField(
            model_name='article',
            name='slug',
            field=models.SlugField(allow_unicode=True, help_text="The last part of the article's address.", max_length=200, validators=[articles.models.validate_slug_not_reserved]),
        ),
        migrations.AlterField(
            model_name='articleredirect',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=200),
        ),
        migrations.AlterField(
            model_name='category',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=100, unique=True, validators=[articles.models.validate_slug_not_reserved]),
        ),
        migrations.AlterField(
            model_name='page',
            name='slug',
            field=models.SlugField(allow_unicode=True, help_text="The last part of the page's address: /<slug>/, or /<parent>/<slug>/ below a parent page.", max_length=100, validators=[articles.models.validate_slug_not_reserved]),
        ),
        migrations.AlterField(
            model_name='tag',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=100, unique=True),
        ),
        migrations.CreateModel(
            name='CategoryRedirect',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True)),
                ('category', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='old_slugs', to='articles.category')),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='PageRedirect',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('path', models.CharField(max_length=1000, unique=True)),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='old_paths', to='articles.page')),
            ],
        ),
        migrations.CreateModel(
            name='TagRedirect',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True)),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='old_slugs', to='articles.tag')),
            ],
            options={
                'abstract': False,
            },
        ),
    ]
