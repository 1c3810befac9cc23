"""What makes cached public pages stale: content staff change, and comments readers can see."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Category, Page, SiteSettings, Tag
from authors.models import Author
from comments.models import Comment, comment_visibility_changed

from .version import bump

CONTENT = (Article, Category, Tag, Page, SiteSettings, Author)


def _bump(sender, **kwargs):
    bump()


for model in CONTENT:
    post_save.connect(_bump, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
    post_delete.connect(_bump, sender=model, dispatch_uid=f"pagecache-del-{model.__name__}")
m2m_changed.connect(_bump, sender=Article.tags.through, dispatch_uid="pagecache-tags")


@receiver(post_save, sender=Comment, dispatch_uid="pagecache-comment")
def comment_saved(sender, instance, **kwargs):
    # Unconfirmed and held comments change nothing readers see.
    if instance.is_public:
        bump()


@receiver(post_delete, sender=Comment, dispatch_uid="pagecache-comment-delete")
def comment_deleted(sender, instance, **kwargs):
    if instance.is_public:
        bump()


@receiver(comment_visibility_changed, dispatch_uid="pagecache-visibility")
def visibility_changed(sender, **kwargs):
    bump()
