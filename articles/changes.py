"""What an article's save changes besides its own columns, judged against the row it replaces.

One read of the saved row, before each save, serves both:

- `updated_at`: "updated" means the words changed, not that someone pressed save;
- old addresses: a published article whose slug or date changes keeps answering at the address
  it had, with a 301 (an `ArticleRedirect`), and one moving back to an old address takes it back.

Receivers rather than `Article.save`, so the model keeps only what it computes from itself, and
every save (the admin, an import, a shell) is covered all the same.

Pages, categories and tags keep their old addresses alike: a page whose path changes (a new
slug or parent, or an ancestor's) keeps a `PageRedirect` and takes its subpages along; a
category or tag whose slug changes keeps a `CategoryRedirect` or `TagRedirect`.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import (
    Article,
    ArticleRedirect,
    Category,
    CategoryRedirect,
    Page,
    PageRedirect,
    Tag,
    TagRedirect,
)

TEXT = ("title", "body", "excerpt")
ADDRESS = ("status", "published_at", "slug")
SAVED_ROW = "_saved_row"


@receiver(pre_save, sender=Article, dispatch_uid="articles.changes.compare_with_saved_row")
def compare_with_saved_row(sender, instance, raw, update_fields, **kwargs):
    if raw or (update_fields is not None and not {*TEXT, *ADDRESS} & set(update_fields)):
        return  # fixtures, or a save of other columns (a task recording renditions)
    saved = None
    if instance.pk:
        saved = Article.objects.filter(pk=instance.pk).values(*TEXT, *ADDRESS).first()
    now = timezone.now()
    if saved is None:
        instance.updated_at = instance.updated_at or min(instance.published_at or now, now)
    elif any(saved[field] != getattr(instance, field) for field in TEXT):
        instance.updated_at = now
    setattr(instance, SAVED_ROW, saved)


@receiver(post_save, sender=Article, dispatch_uid="articles.changes.keep_old_address")
def keep_old_address(sender, instance, raw, **kwargs):
    saved = instance.__dict__.pop(SAVED_ROW, None)
    if raw or not saved:
        return
    if saved["status"] != Article.Status.PUBLISHED or not saved["published_at"]:
        return
    old_date = timezone.localtime(saved["published_at"]).date()
    if (old_date, saved["slug"]) == (instance.local_date, instance.slug):
        return
    ArticleRedirect.objects.update_or_create(
        date=old_date, slug=saved["slug"], defaults={"article": instance}
    )
    # It may be moving back to an address it once had.
    if instance.local_date:
        ArticleRedirect.objects.filter(date=instance.local_date, slug=instance.slug).delete()


@receiver(pre_save, sender=Page, dispatch_uid="articles.changes.read_saved_path")
def read_saved_path(sender, instance, raw, **kwargs):
    saved = None
    if instance.pk and not raw:
        saved = Page.objects.filter(pk=instance.pk).values_list("path", flat=True).first()
    instance.__dict__[SAVED_ROW] = saved


@receiver(post_save, sender=Page, dispatch_uid="articles.changes.keep_old_path")
def keep_old_path(sender, instance, raw, **kwargs):
    old = instance.__dict__.pop(SAVED_ROW, None)
    if raw or old is None or old == instance.path:
        return
    PageRedirect.objects.update_or_create(path=old, defaults={"page": instance})
    PageRedirect.objects.filter(path=instance.path).delete()
    for child in instance.children.all():
        child.parent = instance  # the moved parent, so the child's path is read from it
        child.save()


def _keep_old_slug(model, redirect_model, field):
    @receiver(pre_save, sender=model, dispatch_uid=f"articles.changes.saved_slug_{field}")
    def read_saved_slug(sender, instance, raw, **kwargs):
        saved = None
        if instance.pk and not raw:
            saved = model.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        instance.__dict__[SAVED_ROW] = saved

    @receiver(post_save, sender=model, dispatch_uid=f"articles.changes.old_slug_{field}")
    def keep_old_slug(sender, instance, raw, **kwargs):
        old = instance.__dict__.pop(SAVED_ROW, None)
        if raw or old is None or old == instance.slug:
            return
        redirect_model.objects.update_or_create(slug=old, defaults={field: instance})
        redirect_model.objects.filter(slug=instance.slug).delete()

    return read_saved_slug, keep_old_slug


CATEGORY_RECEIVERS = _keep_old_slug(Category, CategoryRedirect, "category")  # kept: weak refs
TAG_RECEIVERS = _keep_old_slug(Tag, TagRedirect, "tag")
