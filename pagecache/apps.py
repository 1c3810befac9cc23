from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from articles.signals import public_content_changed

        from .version import content_changed

        # The only listener that retires cached pages and fragments; articles and comments send.
        public_content_changed.connect(content_changed, dispatch_uid="pagecache-retire")
