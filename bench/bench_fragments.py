#!/usr/bin/env python
"""Which fragment caches earn their keep: home and post-001 with each fragment on and off.

Imports the shared benchmark content (../shared/bench: 200 posts, post-001 with 300 threaded
comments) with `import_wordpress` into a scratch database (a temporary SQLite file, or
`<name>_fragments` beside DATABASE_URL's PostgreSQL database), then renders both pages through
Django's WSGI handler with the full-page cache off, as `make bench-web`'s "uncached" runs do.

Variants: every declared fragment (pagecache/fragments.py) cached, then each one in turn built
on every request instead, and none cached. They are interleaved, round after round in a shuffled
order, so a busy machine slows them all alike. For each variant and page it prints the median
render time once the fragments are warm, how much slower it was than "all cached" in the same
round (the median over rounds, and in how many rounds it was slower), and the SQL queries of one
warm request and of one right after a change.

Usage: python bench/bench_fragments.py [--rounds 12] [--requests 15]
(REDIS_URL, when set, is used as the cache, as in production with Redis.)
"""

import argparse
import gc
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from web import scratch_database  # noqa: E402

workdir = tempfile.mkdtemp(prefix="bench-fragments-")
os.environ.update(
    DATABASE_URL=scratch_database(workdir, suffix="_fragments"),
    SECRET_KEY="bench-only", DEBUG="0", TASKS_BACKEND="dummy", ALLOWED_HOSTS="testserver",
    PAGE_CACHE="0", MEDIA_ROOT=f"{workdir}/media", CONTENT_VERSION_FILE=f"{workdir}/version",
    DJANGO_SETTINGS_MODULE="backstory.settings",
)  # fmt: skip

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at")  # no collectstatic: pages, not files
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wsgi_client import WsgiClient  # noqa: E402

from pagecache import fragments, version  # noqa: E402

settings.STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}


class Uncached:
    """A fragment switched off: built on every request, no cache read or write."""

    def __init__(self, fragment):
        self.fragment = fragment

    def fetch(self, build, *parts):
        return build()


def load_content():
    content, xml = f"{workdir}/content.json", f"{workdir}/content.xml"
    subprocess.run([sys.executable, str(SHARED / "gen_content.py"), content], check=True)
    subprocess.run([sys.executable, str(SHARED / "content_to_wxr.py"), content, xml], check=True)
    call_command("migrate", verbosity=0)
    call_command("import_wordpress", xml, verbosity=0)
    from articles.models import Article

    return {"home": "/", "post-001": Article.objects.get(slug="post-001").get_absolute_url()}


ORIGINAL = dict(fragments.DECLARED)
EVERYTHING = "every fragment"


def use(off):
    """Every declared fragment cached, except `off` (a name, or all), built on every request."""
    fragments.DECLARED.clear()
    fragments.DECLARED.update(ORIGINAL)
    for name in ORIGINAL if off == EVERYTHING else [off] if off else []:
        fragments.DECLARED[name] = Uncached(ORIGINAL[name])


def queries(client, path, after_change):
    if after_change:
        version.bump()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--requests", type=int, default=15, help="per page, variant and round")
    parser.add_argument("--only", help="comma-separated fragment names: switch off only these")
    parser.add_argument("--pages", default="home,post-001", help="comma-separated: home, post-001")
    args = parser.parse_args()
    pages = {name: path for name, path in load_content().items() if name in args.pages.split(",")}
    client = WsgiClient()
    for path in pages.values():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    variants = [None, *(args.only.split(",") if args.only else [*ORIGINAL, EVERYTHING])]
    counts = {}
    for variant in variants:
        use(variant)
        for page, path in pages.items():
            counts[(variant, page)] = (
                queries(client, path, after_change=True),
                queries(client, path, after_change=False),
            )
    # Per round, the median of each variant; compared with "all cached" of the same round.
    rounds = []
    started = time.monotonic()
    for _ in range(args.rounds):
        order = variants[:]
        random.shuffle(order)
        medians = {}
        for variant in order:
            use(variant)
            for page, path in pages.items():
                client.get(path)  # warm whatever this variant caches
                gc.collect()  # each batch starts from a clean heap, whatever came before it
                timings = []
                for _ in range(args.requests):
                    start = time.perf_counter()
                    client.get(path)
                    timings.append((time.perf_counter() - start) * 1000)
                medians[(variant, page)] = statistics.median(timings)
        rounds.append(medians)
    use(None)

    print(
        f"bench_fragments: {args.rounds} rounds x {args.requests} requests per page and variant, "
        f"{os.cpu_count()} cores, database {connection.vendor}, cache "
        f"{'redis' if settings.REDIS_URL else 'local memory'}, "
        f"{time.monotonic() - started:.0f} s"
    )
    print("(ms: median over rounds of each round's median; 'slower' compares with all cached")
    print(" in the same round: the median difference, and in how many rounds it was slower)")
    for page in pages:
        print(f"\n{page}")
        print(f"  {'variant':<22}{'ms':>8}{'slower':>9}{'rounds':>9}{'SQL warm':>10}{'cold':>6}")
        for variant in variants:
            ms = statistics.median(r[(variant, page)] for r in rounds)
            cold, warm = counts[(variant, page)]
            if variant is None:
                print(f"  {'all cached':<22}{ms:>8.2f}{'':>18}{warm:>10}{cold:>6}")
                continue
            deltas = [r[(variant, page)] - r[(None, page)] for r in rounds]
            slower = sum(d > 0 for d in deltas)
            print(
                f"  {variant + ' off':<22}{ms:>8.2f}{statistics.median(deltas):>+9.2f}"
                f"{f'{slower}/{len(rounds)}':>9}{warm:>10}{cold:>6}"
            )
    cache.clear()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
