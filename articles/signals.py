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

`public_content_changed` is sent whenever something public pages show was saved or deleted:
an article, category, tag, page, the site settings, an author (here, from model signals), or a
comment appearing or disappearing (sent by `comments`). Whoever keeps copies of public pages (the
page cache) listens; senders never know who does. Its only argument is `sender`, the model whose
rows changed; a listener decides itself when to act (the page cache waits for the commit).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

public_content_changed = Signal()

# While an import runs: a dict for what may be kept for its length (`import_cache`).
_importing = ContextVar("articles_importing", default=None)


@contextmanager
def importing():
    """Mark everything saved inside as imported: listeners send no mail and queue no tasks."""
    token = _importing.set({})
    try:
        yield
    finally:
        _importing.reset(token)


def is_importing():
    return _importing.get() is not None


def import_cache():
    """During an import, a dict that lives as long as it, for rows the import never writes
    (the glossary every article's body is marked up with); None outside an import."""
    return _importing.get()


def announce_change(sender, **kwargs):
    """post_save / post_delete receiver: a row public pages show was written."""
    public_content_changed.send(sender=sender)


def announce_m2m_change(sender, action, **kwargs):
    """m2m_changed receiver: only a finished add, remove or clear changes what pages show."""
    if action in ("post_add", "post_remove", "post_clear"):
        public_content_changed.send(sender=sender)


# Publishing asks its listeners two things without knowing who they are (the subscriptions app
# answers both): how many people a publication will mail, and to send one sample of that mail.
publication_audience = Signal()  # kwargs: article, published_at; receivers return a number
publication_sample = Signal()  # kwargs: article, published_at, address; receivers send one mail


def audience_of(article, published_at):
    """How many people will be mailed when `article` appears at `published_at`."""
    answers = publication_audience.send(
        sender=type(article), article=article, published_at=published_at
    )
    return sum(answer for _receiver, answer in answers if isinstance(answer, int))


def send_sample(article, published_at, address):
    """Send the mail(s) a publication would send, once, to `address` only; how many kinds."""
    answers = publication_sample.send(
        sender=type(article), article=article, published_at=published_at, address=address
    )
    return sum(1 for _receiver, answer in answers if answer)


# Sent by `load_demo` after the articles' demo content is in: apps with demo content of their own
# (the comments app's conversation) add it; each receiver returns lines for the command to print.
demo_loaded = Signal()


def load_others_demo():
    """The other apps' demo content, after ours; the lines their receivers reported."""
    lines = []
    for _receiver, answer in demo_loaded.send(sender=None):
        lines.extend(answer or [])
    return lines
