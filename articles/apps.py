from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_site_domain(sender, using="default", **kwargs):
    """Feeds, sitemaps and mails build links from the sites framework: keep it on SITE_URL."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.SITE_DOMAIN, "name": "The Back Story"},
    )


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Blog"

    def ready(self):
        post_migrate.connect(sync_site_domain, sender=self)
