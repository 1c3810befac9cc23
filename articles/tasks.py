from django.db import transaction
from django_tasks import task

from education.enrich import CALLOUT_PREFIX

from . import signals
from .models import Article


@task()
def render_again(callout_slug=None):
    """After staff change a glossary entry or a callout: every article that may show it is
    stored again (articles.models.Article.render_again), then public pages are told once."""
    articles = Article.objects.only("pk", "body")
    if callout_slug:
        articles = articles.filter(body__contains=f"{CALLOUT_PREFIX}{callout_slug}]]")
    count = 0
    for article in articles.iterator(chunk_size=200):
        article.render_again(announce=False)
        count += 1
    if count:
        signals.public_content_changed.send(sender=Article)
    return count


def glossary_changed(sender, **kwargs):
    """post_save / post_delete receiver of glossary entries: any article may use the word."""
    transaction.on_commit(lambda: render_again.enqueue())


def callout_changed(sender, instance, **kwargs):
    """post_save / post_delete receiver of callouts: the articles whose text places it."""
    slug = instance.slug
    transaction.on_commit(lambda: render_again.enqueue(callout_slug=slug))
