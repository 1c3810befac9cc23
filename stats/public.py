"""Which article ids a beacon may count: public ones, looked up once a minute per process."""

import threading
import time

from articles.models import Article

SECONDS = 60
MAX_REMEMBERED = 10_000
_known = {}
_lock = threading.Lock()


def is_public_article(article_id):
    """Whether the article is public; a scheduled one appears within SECONDS of its time.

    Remembered per process (negative answers too, so made-up ids cost one query a minute each,
    up to MAX_REMEMBERED): a spike of views of one article costs no query per view.
    """
    now = time.monotonic()
    known = _known.get(article_id)
    if known is not None and known[1] > now:
        return known[0]
    public = Article.objects.published().filter(pk=article_id).exists()
    with _lock:
        if len(_known) >= MAX_REMEMBERED:
            _known.clear()
        _known[article_id] = (public, now + SECONDS)
    return public


def forget():
    _known.clear()
