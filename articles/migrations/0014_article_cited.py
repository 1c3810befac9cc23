from django.db import migrations, models

SHOWN = ("number", "title", "authors", "publisher", "year", "doi", "pmid", "url")


def keep_references_with_their_articles(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Reference = apps.get_model("education", "Reference")
    rows = {}
    for reference in Reference.objects.order_by("article_id", "number"):
        rows.setdefault(reference.article_id, []).append(
            {name: getattr(reference, name) for name in SHOWN}
        )
    for pk, cited in rows.items():
        Article.objects.filter(pk=pk).update(cited=cited)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_readability"),
        ("education", "0001_references_glossary_callouts"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="cited",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(keep_references_with_their_articles, migrations.RunPython.noop),
    ]
