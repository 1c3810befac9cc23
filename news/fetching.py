"""Fetching a feed: with a timeout and a size cap, parsed by feedparser, every value reduced to
plain text or an http(s) link, kept only when the fetch succeeded.

A feed that fails (unreachable, too slow, too big, not a feed) keeps the items it had, and the
error is recorded on the feed for staff (the admin's list of feeds shows it).
"""

import calendar
import datetime
import logging
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import urlsplit

import feedparser
import nh3
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Feed, Item

logger = logging.getLogger(__name__)


class FetchError(Exception):
    pass


def download(url):
    """The feed's bytes; FetchError if slow, too big, or anything but a 200."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise FetchError("only http and https addresses can be fetched")
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": settings.NEWS_USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml",
        },
    )
    limit = settings.NEWS_MAX_BYTES
    try:
        with urllib.request.urlopen(request, timeout=settings.NEWS_TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"the site answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"could not be reached ({reason})") from error
    if len(body) > limit:
        raise FetchError(f"larger than {limit // 1024} KB: not fetched")
    return body


def plain(text, length):
    """Text from a feed as plain text: every tag dropped by nh3, entities decoded, one line
    (the template escapes it again when it is shown)."""
    return " ".join(unescape(nh3.clean(text or "", tags=set())).split())[:length]


def web_link(url):
    url = (url or "").strip()
    return url if urlsplit(url).scheme in {"http", "https"} and len(url) <= 1000 else ""


def entry_time(entry):
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(parsed), tz=datetime.UTC)


def parse(body):
    """[(guid, title, link, published_at)] of the newest entries; FetchError if not a feed."""
    parsed = feedparser.parse(body)
    # feedparser reads nearly anything; a page that is neither RSS nor Atom has no version.
    if not parsed.version or (parsed.bozo and not parsed.entries):
        raise FetchError("not an RSS or Atom feed")
    items = []
    for entry in parsed.entries:
        link = web_link(entry.get("link"))
        title = plain(entry.get("title"), 300)
        if not (link and title):
            continue
        guid = (entry.get("id") or link)[:500]
        items.append((guid, title, link, entry_time(entry)))
    items.sort(key=lambda item: item[3] or datetime.datetime.min.replace(tzinfo=datetime.UTC))
    items.reverse()
    return items[: settings.NEWS_ITEMS_PER_FEED]


def fetch(feed):
    """Fetch one feed; True if its items were replaced, False if it failed (items kept)."""
    now = timezone.now()
    try:
        entries = parse(download(feed.url))
    except FetchError as error:
        Feed.objects.filter(pk=feed.pk).update(last_error=str(error)[:300], last_error_at=now)
        logger.warning("News feed %s failed: %s", feed.url, error)
        return False
    with transaction.atomic():
        before = set(feed.items.values_list("guid", "title", "link", "published_at"))
        if before != set(entries):
            feed.items.all().delete()
            Item.objects.bulk_create(
                Item(feed=feed, guid=g, title=t, link=link, published_at=p)
                for g, t, link, p in entries
            )
        Feed.objects.filter(pk=feed.pk).update(last_success_at=now, last_error="")
    return True


def fetch_all():
    """Fetch every active feed; (fetched, failed) counts."""
    fetched = failed = 0
    for feed in Feed.objects.filter(active=True):
        if fetch(feed):
            fetched += 1
        else:
            failed += 1
    return fetched, failed
