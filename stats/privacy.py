"""Who is not counted, and what is kept of those who are.

Nothing here stores anything: these functions decide whether a beacon counts and reduce what it
carries to what the aggregates keep (a host name, a search term), so the rest can be forgotten
with the request.
"""

import re
from urllib.parse import urlsplit

from crawlerdetect import CrawlerDetect
from django.conf import settings

from articles.search import clean_query

TERM_MAX_CHARS = 100
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$"
)
# A term that holds an email address or a phone, record or date-of-birth number says who typed
# it: it is not kept at all.
_PERSONAL = re.compile(r"@|(?:\d[\s().\-/]*){6,}")


class _Detector(CrawlerDetect):
    # CrawlerDetect remembers the user agents it has seen; ours keeps none (see is_bot).
    CACHE_SIZE = 0


_detector = _Detector()
_verdicts = {}
_VERDICTS_MAX = 4096


def is_bot(user_agent):
    """A crawler, a preview fetcher, a headless browser, or no browser at all.

    CrawlerDetect's maintained list (JayBizzle/Crawler-Detect) decides. Its regular expression is
    slow (a quarter of a millisecond), so verdicts are remembered for the few thousand agents a
    site sees most, keyed by Python's per-process salted string hash: never the agent itself.
    """
    if not user_agent or not user_agent.strip():
        return True
    key = hash(user_agent)
    verdict = _verdicts.get(key)
    if verdict is None:
        if len(_verdicts) >= _VERDICTS_MAX:
            _verdicts.clear()
        verdict = _verdicts[key] = _detector.is_crawler(user_agent)
    return verdict


def declined(request):
    """The reader's browser asks not to be tracked (Do Not Track, Global Privacy Control)."""
    meta = request.META
    return meta.get("HTTP_DNT", "").strip() == "1" or meta.get("HTTP_SEC_GPC", "").strip() == "1"


def prefetch(request):
    """A speculative fetch nobody may ever look at: Sec-Purpose (and the older Purpose)."""
    meta = request.META
    purposes = f"{meta.get('HTTP_SEC_PURPOSE', '')},{meta.get('HTTP_PURPOSE', '')}".lower()
    return "prefetch" in purposes or "prerender" in purposes


def own_hosts(request):
    """This site's host names, without "www." (as referrers are kept)."""
    hosts = {urlsplit(settings.SITE_URL).hostname, request.get_host().rsplit(":", 1)[0]}
    return {host.lower().removeprefix("www.") for host in hosts if host}


def referrer_host(value, request):
    """The host name of the site a reader came from; None for our own site or anything odd.

    The page sends only the host, but whatever it sends is cut down to a host here too, so no
    path or query (which can hold search words or someone's id) is ever kept.
    """
    value = (value or "").strip().lower()
    if not value or len(value) > 2048:
        return None
    host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    if not _HOST.match(host) or host in own_hosts(request):
        return None
    return host


def search_term(value):
    """The term as it is counted: cleaned, lower-case, short, and only if it names nobody."""
    term = clean_query(value).casefold()[:TERM_MAX_CHARS].strip()
    if not term or _PERSONAL.search(term):
        return None
    return term
