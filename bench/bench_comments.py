#!/usr/bin/env python
"""Render time of an article with 300 threaded comments (the comments issue's benchmark).

Builds a throwaway SQLite database (or uses DATABASE_URL if set: give it a scratch database),
adds one article with 300 approved comments threaded to depth 3, then renders the page through
Django's test client and prints the median and 95th percentile render times, the SQL query count
and the HTML size.  Usage: python bench/bench_comments.py [RENDERS]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="bench-comments-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TASKS_BACKEND", "dummy")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["PAGE_CACHE"] = "0"  # measure rendering, not the full-page cache
os.environ["DJANGO_SETTINGS_MODULE"] = "backstory.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wsgi_client import WsgiClient  # noqa: E402

settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}


def build():
    from articles.models import Article
    from authors.models import Author
    from comments.models import Comment

    call_command("migrate", verbosity=0)
    author = Author.objects.create(name="Bench Author", slug="bench-author", credentials="MD")
    article = Article.objects.create(
        title="Three hundred comments", slug="three-hundred", author=author,
        body="## Body\n\n" + "Some words about the spine. " * 200,
        status=Article.Status.PUBLISHED, published_at=timezone.now() - timezone.timedelta(days=1),
    )  # fmt: skip
    now = timezone.now()
    made = []
    for n in range(300):
        parent = 0
        if n % 3 == 1:
            parent = made[n - 1].pk  # a reply to the top-level comment before it
        elif n % 3 == 2:
            parent = made[n - 1].pk  # a reply to that reply: depth 3
        comment = Comment(
            content_object=article, site_id=1, user_name=f"Reader {n}",
            user_email=f"reader{n}@example.org", comment=("A thoughtful comment. " * 12).strip(),
            submit_date=now, parent_id=parent, status=Comment.Status.APPROVED, is_public=True,
        )  # fmt: skip
        comment.save()
        made.append(comment)
    Comment.objects.update(is_public=True)
    return article


def main():
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    article = build()
    client = WsgiClient()
    url = article.get_absolute_url()
    for _ in range(5):
        response = client.get(url)
    assert response.status_code == 200 and response.content.count(b'class="comment ') == 300
    from django.core.cache import cache

    from pagecache import version

    print(f"database:          {connection.vendor}")
    print("comments:          300 (depth 3)")
    print(f"renders:           {renders} each")
    for label, before in (
        ("nothing cached", version.bump),  # as after a change: sidebar and tree rebuilt
        ("fragments cached", lambda: None),  # sidebar and comment tree from the cache
    ):
        timings = []
        for _ in range(renders):
            before()
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        before()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        timings.sort()
        print(
            f"{label + ':':<18} median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, "
            f"{len(queries.captured_queries)} SQL queries"
        )
    cache.clear()
    print(f"HTML size:         {len(response.content) / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
