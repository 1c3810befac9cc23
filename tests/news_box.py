"""The sidebar's news box in tests that count queries."""

from pagecache.fragments import FRAGMENTS


def warm_news_box():
    """Cache the (empty) news box as a running site has it: its fragment is asked for once per
    five minutes, not after each change of content, so query counts leave it out."""
    FRAGMENTS.fetch("news", list)
