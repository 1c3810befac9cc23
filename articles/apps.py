from django.apps import AppConfig
from django.db.models.signals import post_migrate

from .groups import ensure_staff_groups


def sync_site_domain(sender, using="default", **kwargs):
    """Feeds, sitemaps and mails build links from the sites framework: keep it on SITE_URL."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": "The Back Story"},
    )


def ensure_site_settings(sender, apps=None, using="default", **kwargs):
    """The one row of site settings exists before any page is asked for: 0002 made it, and a
    flush (as the tests' transactional cases do) brings it back. Were a reader's first page to
    make it instead, saving it would retire that very page as it was being cached."""
    from django.apps import apps as installed

    try:  # the migration state's model when migrate sends it (no receivers of the real one)
        SiteSettings = (apps or installed).get_model("articles", "SiteSettings")
    except LookupError:  # migrated back to before it existed
        return
    SiteSettings.objects.using(using).get_or_create(pk=1)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Blog"
    # What the staff groups may do here (articles.groups). Editors: everything, publishing included.
    staff_permissions = {
        "Editors": [
            "article", "articleredirect", "category", "page", "pageredirect", "sitesettings", "tag",
        ],
        "Authors": [
            "add_article", "change_article", "view_article", "view_category", "view_tag",
            "add_tag",
        ],
    }  # fmt: skip

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from authors.models import Author

        from . import (
            changes,  # noqa: F401  (changes connects its receivers)
            history,
        )
        from .models import Article, Category, Page, SiteSettings, Tag
        from .signals import announce_change, announce_m2m_change

        # Revisions of every staff save of an article or page (django-reversion).
        history.register()
        post_migrate.connect(sync_site_domain, sender=self)
        post_migrate.connect(ensure_staff_groups, sender=self)
        post_migrate.connect(ensure_site_settings, sender=self)

        # Whatever staff change shows on public pages: whoever keeps copies of them is told.
        for model in (Article, Category, Tag, Page, SiteSettings, Author):
            uid = f"public-content-{model.__name__}"
            post_save.connect(announce_change, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(announce_change, sender=model, dispatch_uid=f"{uid}-delete")
        # What an article's body draws on besides its text (education): stored again on change.
        from education.models import CareCallout, GlossaryTerm

        from .tasks import callout_changed, glossary_changed

        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(glossary_changed, sender=GlossaryTerm, dispatch_uid=f"glossary-{name}")
            signal.connect(callout_changed, sender=CareCallout, dispatch_uid=f"callout-{name}")
        m2m_changed.connect(
            announce_m2m_change, sender=Article.tags.through, dispatch_uid="public-content-tags"
        )
