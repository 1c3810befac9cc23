#!/usr/bin/env python
"""Content at scale: 10,000 articles, one of them with 1,000 comments (issue 15's benchmark).

Builds a throwaway SQLite database (or uses DATABASE_URL if set: give it a scratch database; its
articles and comments are replaced), then prints, with nothing cached (as after a change of
content; the page cache off):

- the SQL queries of the home page (budget 8) and of the 1,000-comment article (budget 10);
- the article's uncached render time at 300 and at 1,000 comments, and their ratio (budget
  3.5x: the render grows no faster than the comment count);
- on PostgreSQL, search: the median time of `/?s=words` for a few queries and of the search
  query alone (budget 50 ms), with the EXPLAIN of that query, which must use the GIN index
  over the search document (articles_article_search_gin).

Usage: python bench/bench_scale.py [ARTICLES] [--renders N]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="bench-scale-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("TASKS_BACKEND", "dummy")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["PAGE_CACHE"] = "0"  # measure rendering, not the full-page cache
os.environ["MEDIA_ROOT"] = f"{scratch}/media"
os.environ["DJANGO_SETTINGS_MODULE"] = "backstory.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from wsgi_client import WsgiClient  # noqa: E402

settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

HOME_BUDGET = 8
ARTICLE_BUDGET = 10
GROWTH_BUDGET = 3.5  # 1,000 comments against 300
SEARCH_BUDGET_MS = 50

# The benchmark's own words: common ones fill the text; the topic words are each in a known
# share of the articles, so a search finds many articles, some, or a handful.
COMMON_TEXT = (
    "the a of and to in is that for with on as it be this are by can your you from or at an "
    "have not but more most when which their they after before some many people often may "
    "back spine pain day week doctor patient care treatment exercise rest move body muscle "
    "joint nerve bone health help work sleep walk sit stand lift posture core stretch"
)
COMMON = COMMON_TEXT.split()
TOPICS = {  # word: share of articles that mention it
    "sciatica": 0.08,
    "epidural": 0.03,
    "laminectomy": 0.01,
    "kyphoplasty": 0.002,
}
# Many matches, some, a few, two words, and a word that every article has (the slowest case:
# nearly every row is ranked).
SEARCHES = ["sciatica", "epidural", "laminectomy", "kyphoplasty", "sciatica nerve", "spine"]


def paragraph(rng, words=60):
    return " ".join(rng.choice(COMMON) for _ in range(words)).capitalize() + "."


def article_text(rng):
    """(markdown, html) of an article of about 400 words with its topic words."""
    paragraphs = [paragraph(rng) for _ in range(6)]
    for word, share in TOPICS.items():
        if rng.random() < share:
            n = rng.randrange(len(paragraphs))
            paragraphs[n] = paragraphs[n][:-1] + f" and {word}."
    markdown = "\n\n".join(paragraphs)
    html = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return markdown, html


def build(count):
    from articles.models import Article, Category
    from authors.models import Author
    from comments.models import Comment

    call_command("migrate", verbosity=0)
    Comment.objects.all().delete()
    Article.objects.all().delete()
    author, _ = Author.objects.get_or_create(
        slug="bench-author", defaults={"name": "Bench Author", "credentials": "MD"}
    )
    categories = [
        Category.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"Bench {n}"})[0]
        for n in range(8)
    ]
    rng = random.Random(15)
    now = timezone.now()
    # One article saved the ordinary way, for the fields a save works out (summary, word count).
    model = Article.objects.create(
        title="A model article", slug="a-model-article", author=author, category=categories[0],
        body=article_text(rng)[0], excerpt="", status=Article.Status.PUBLISHED,
        published_at=now - timezone.timedelta(days=count + 10),
    )  # fmt: skip
    rows = []
    for n in range(count):
        markdown, html = article_text(rng)
        rows.append(
            Article(
                title=f"{paragraph(rng, 5)[:-1]} ({n})",
                slug=f"bench-article-{n}",
                author=author,
                category=categories[n % len(categories)],
                body=markdown,
                body_html=html,
                excerpt="",
                summary=paragraph(rng, 25),
                word_count=model.word_count,
                status=Article.Status.PUBLISHED,
                published_at=now - timezone.timedelta(hours=n + 1),
                updated_at=now,
            )  # fmt: skip
        )
    Article.objects.bulk_create(rows, batch_size=500)
    threads = {}
    with transaction.atomic():
        for size, slug in ((300, "bench-article-1"), (1000, "bench-article-2")):
            threads[size] = comment_thread(Article.objects.get(slug=slug), size, rng, now)
    Comment.objects.update(is_public=True)
    return threads


def comment_thread(article, size, rng, now):
    """`size` approved comments on `article`, saved as the site saves them (thread order)."""
    from comments.models import Comment

    made = []
    for n in range(size):
        parent = made[n - 1].pk if n % 3 else 0  # threads three deep, as bench_comments
        comment = Comment(
            content_object=article, site_id=1, user_name=f"Reader {n}",
            user_email=f"reader{n}@example.org", comment=paragraph(rng, 30),
            submit_date=now, parent_id=parent, status=Comment.Status.APPROVED, is_public=True,
        )  # fmt: skip
        comment.save()
        made.append(comment)
    return article


def existing(count):
    """The threads of an earlier run with as many articles, or None."""
    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.objects.count() != count + 1:
        return None
    slugs = {300: "bench-article-1", 1000: "bench-article-2"}
    return {size: Article.objects.get(slug=slug) for size, slug in slugs.items()}


def uncached(client, url, renders):
    """Median milliseconds of `url` with nothing cached (as after a change), and its queries."""
    from pagecache import version

    client.get(url)  # warm the code paths, not the caches
    timings = []
    for _ in range(renders):
        version.bump()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    version.bump()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(timings), len(queries.captured_queries), response


def search_figures(client, renders):
    """Search as readers use it: the site's chrome cached (a search changes no content)."""
    from articles.models import Article
    from articles.search import add_snippets

    rows = []
    for words in SEARCHES:
        # What the search page asks the database: the paginator's count, the first page, and
        # the snippets of that page.
        queryset = Article.objects.published().for_listing().search(words)
        matches = queryset.count()
        sql = []
        for _ in range(renders):
            start = time.perf_counter()
            queryset.count()
            add_snippets(queryset[:10], words)
            sql.append((time.perf_counter() - start) * 1000)
        url = "/?" + urlencode({"s": words})
        client.get(url)
        timings = []
        for _ in range(renders):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        rows.append((words, matches, statistics.median(sql), statistics.median(timings)))
    first = Article.objects.published().for_listing().search(SEARCHES[0])
    return rows, first[:10].explain(analyze=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("articles", nargs="?", type=int, default=10_000)
    parser.add_argument("--renders", type=int, default=15)
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="measure right after the import, before autovacuum would have run",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the articles of an earlier run if they match"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    threads = existing(args.articles) if args.reuse else None
    threads = threads or build(args.articles)
    if connection.vendor == "postgresql" and not args.no_vacuum:
        # What autovacuum does within a minute or so of a bulk insert: table statistics for the
        # planner, and the GIN index's pending list merged into the index proper.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    built = time.perf_counter() - started
    client = WsgiClient()

    home_ms, home_queries, _ = uncached(client, "/", args.renders)
    times = {}
    for size, article in threads.items():
        ms, queries, response = uncached(client, article.get_absolute_url(), args.renders)
        shown = response.content.count(b'class="comment ')
        assert shown == size, (size, shown)
        times[size] = (ms, queries)
    ratio = times[1000][0] / times[300][0]

    print(f"database:                 {connection.vendor}")
    print(f"articles:                 {args.articles + 1} (built in {built:.0f} s)")
    print(f"renders:                  {args.renders} each, median, nothing cached")
    verdict = lambda ok: "ok" if ok else "OVER BUDGET"  # noqa: E731
    print(
        f"home:                     {home_ms:.1f} ms, {home_queries} SQL queries "
        f"(budget {HOME_BUDGET}: {verdict(home_queries <= HOME_BUDGET)})"
    )
    for size, (ms, queries) in times.items():
        print(
            f"article, {size:>4} comments:  {ms:.1f} ms, {queries} SQL queries "
            f"(budget {ARTICLE_BUDGET}: {verdict(queries <= ARTICLE_BUDGET)})"
        )
    print(
        f"1,000 against 300:        {ratio:.2f}x (budget {GROWTH_BUDGET}x: "
        f"{verdict(ratio <= GROWTH_BUDGET)})"
    )
    if connection.vendor != "postgresql":
        print("search:                   PostgreSQL only (set DATABASE_URL)")
        return
    rows, explain = search_figures(client, args.renders)
    for words, matches, sql, request in rows:
        print(
            f"search {words!r:<24} {matches:>5} matches: query {sql:.1f} ms, "
            f"page {request:.1f} ms (budget {SEARCH_BUDGET_MS} ms: "
            f"{verdict(request <= SEARCH_BUDGET_MS)})"
        )
    medians = statistics.median(request for *_, request in rows)
    print(f"search, median page:      {medians:.1f} ms (the site's chrome cached)")
    uses_index = "articles_article_search_gin" in explain
    print(f"GIN index in the plan:    {'yes' if uses_index else 'NO'}")
    print("EXPLAIN ANALYZE (first search, first page):")
    print("\n".join("    " + line for line in explain.splitlines()))


if __name__ == "__main__":
    main()
