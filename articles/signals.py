"""What code that reacts to articles (mail to followers, pings, caches) needs to know.

An import writes hundreds of articles that were published years ago on another site: nobody must
be mailed about them. Articles never know who listens, so instead of each importer switching
listeners off, listeners ask:

    from articles.signals import is_importing

    @receiver(post_save, sender=Article)
    def announce(sender, instance, created, raw, **kwargs):
        if raw or is_importing():
            return
        ...

`importing()` wraps the whole import, its transaction included, so `transaction.on_commit`
callbacks registered by a listener during the import also run while `is_importing()` is true.
An imported article scheduled for a later date is not special afterwards: when its time comes it
is a new article like any other.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_importing = ContextVar("articles_importing", default=False)


@contextmanager
def importing():
    """Mark everything saved inside as imported: listeners send no mail and queue no tasks."""
    token = _importing.set(True)
    try:
        yield
    finally:
        _importing.reset(token)


def is_importing():
    return _importing.get()
