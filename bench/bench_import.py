#!/usr/bin/env python
"""Import time and peak memory of `import_wordpress` on a generated export.

Writes a deterministic WordPress export (WXR 1.2) of N posts (about 600 words of HTML each,
every tenth with a [caption]) and 10 comments a post on average, threaded up to four deep (so
replies deeper than COMMENTS_MAX_DEPTH get re-attached), some held and some spam; then imports it
into a throwaway SQLite database (or DATABASE_URL if set: give it a scratch database, it is
flushed) and prints the import time, the CPU time this process spent on it (on a busy machine
the two differ; with PostgreSQL the server's own work is not in it), and the process's peak
memory.

By default it runs 500 posts / 5,000 comments and 2,000 posts / 20,000 comments, each in a fresh
process, so the two peaks can be compared: memory stays flat when they are close.

Usage: python bench/bench_import.py [--posts N]   (one size only)
"""

import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SIZES = [500, 2000]
COMMENTS_PER_POST = 10
TEXT = (
    "spine disc nerve root lumbar cervical vertebra posture walking rest pain relief surgery "
    "recovery physiotherapy stretch core muscle strength sitting standing desk sleep pillow "
    "injection inflammation stenosis sciatica fusion decompression weeks months patient doctor "
    "the a and of to in is that it for on with as be at by this from or have an they which"
)
WORDS = TEXT.split()


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def sentence(rng):
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def body(rng, n):
    paragraphs = []
    for p in range(6):
        text = " ".join(sentence(rng) for _ in range(7))
        if p == 1:
            text += ' See <a href="https://example.org/guide">our <strong>guide</strong></a>.'
        paragraphs.append(text)
    if n % 10 == 0:
        paragraphs.insert(
            2,
            f'[caption id="attachment_{n}" width="300"]<img src="https://old.example.com/'
            f'wp-content/uploads/2020/01/image-{n}.jpg" alt="Figure {n}" /> Figure {n}[/caption]',
        )
    paragraphs.insert(3, "<ul>\n<li>Walk daily</li>\n<li>Sit less</li>\n</ul>")
    return "\n\n".join(paragraphs)


def write_export(path, n_posts):
    rng = random.Random(20240101)
    total_comments = n_posts * COMMENTS_PER_POST
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench</title><link>https://old.example.com</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://old.example.com</wp:base_site_url>\n"
            "<wp:author><wp:author_id>1</wp:author_id><wp:author_login>surgeon</wp:author_login>"
            "<wp:author_display_name>Dr. Bench</wp:author_display_name></wp:author>\n"
        )
        for c in range(1, 11):
            out.write(
                f"<wp:category><wp:term_id>{c}</wp:term_id><wp:category_nicename>topic-{c}"
                f"</wp:category_nicename><wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>Topic {c}</wp:cat_name></wp:category>\n"
            )
        for n in range(1, n_posts + 1):
            day = f"20{20 + n // 365:02d}-{1 + (n // 28) % 12:02d}-{1 + n % 28:02d}"
            count = 300 if n == 1 else rng.randint(0, 2 * COMMENTS_PER_POST)
            count = min(count, total_comments - comment_id - (n_posts - n))
            if n == n_posts:
                count = total_comments - comment_id
            out.write(
                f"<item><title>{escape(sentence(rng))}</title>"
                f"<dc:creator>surgeon</dc:creator>"
                f"<content:encoded>{cdata(body(rng, n))}</content:encoded>"
                f"<wp:post_id>{n}</wp:post_id>"
                f"<wp:post_date>{day} 09:00:00</wp:post_date>"
                f"<wp:post_date_gmt>{day} 09:00:00</wp:post_date_gmt>"
                f"<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>post-{n:05d}</wp:post_name><wp:status>publish</wp:status>"
                f"<wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="topic-{1 + n % 10}">Topic</category>\n'
            )
            depths = {}
            for _ in range(max(count, 0)):
                comment_id += 1
                parent = 0
                if depths and rng.random() < 0.6:
                    parent = rng.choice(list(depths))
                depths[comment_id] = depths.get(parent, 0) + 1
                if depths[comment_id] >= 4:
                    depths.pop(comment_id)  # deep enough: nobody answers it
                roll = rng.random()
                approved = "1" if roll < 0.9 else "0" if roll < 0.97 else "spam"
                reader = rng.randint(1, 500)
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {reader}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{reader}@example.org"
                    f"</wp:comment_author_email>"
                    f"<wp:comment_date>{day} 12:{comment_id % 60:02d}:00</wp:comment_date>"
                    f"<wp:comment_content>{cdata(sentence(rng) + ' ' + sentence(rng))}"
                    f"</wp:comment_content><wp:comment_approved>{approved}</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")
    return comment_id


def run_one(n_posts):
    scratch = tempfile.mkdtemp(prefix="bench-import-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("TASKS_BACKEND", "dummy")
    os.environ.setdefault("TIME_ZONE", "UTC")
    os.environ["MEDIA_ROOT"] = f"{scratch}/media"
    os.environ["DJANGO_SETTINGS_MODULE"] = "backstory.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from comments.models import Comment
    from wordpress.importer import import_wordpress

    export = Path(scratch) / "export.xml"
    comments = write_export(export, n_posts)
    call_command("migrate", verbosity=0)
    if "bench-import-" not in str(connection.settings_dict["NAME"]):
        call_command("flush", interactive=False, verbosity=0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    report = import_wordpress([export])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert report.counts["posts"]["created"] == n_posts, report.counts
    assert Comment.objects.count() == comments
    print(
        f"{connection.vendor:<10} {n_posts:>6} {comments:>8} "
        f"{export.stat().st_size / 2**20:>8.1f} {elapsed:>9.1f} {cpu:>6.1f} "
        f"{n_posts / elapsed:>8.0f} {before / 1024:>10.0f} {peak / 1024:>9.0f}"
    )


def main():
    if "--posts" in sys.argv:
        run_one(int(sys.argv[sys.argv.index("--posts") + 1]))
        return
    print(
        f"{'database':<10} {'posts':>6} {'comments':>8} {'MiB':>8} {'import s':>9} {'cpu s':>6} "
        f"{'posts/s':>8} {'RSS before':>10} {'peak RSS':>9}   (MiB; peak = whole process)"
    )
    for n_posts in SIZES:
        # A fresh process each: ru_maxrss is a high-water mark for the process's whole life.
        subprocess.run([sys.executable, __file__, "--posts", str(n_posts)], check=True)


if __name__ == "__main__":
    main()
