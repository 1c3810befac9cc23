#!/usr/bin/env python
"""New-article mail to 10,000 followers: messages per second for 1, 2 and 4 workers, read
against the loopback SMTP server's own ceiling, with the exactly-once check.

Builds a throwaway SQLite database (or uses DATABASE_URL if set: give it a scratch database; it
is emptied of followers and articles first), adds 10,000 active followers and starts an aiosmtpd
sink on loopback. Then, in the same run:

- the sink's ceiling: a bare smtplib loop (one connection, as many messages as there are
  followers, each the size of a real one), and as many loops side by side as the most workers
  measured, so the workers' figures can be read against what the server itself can take;
- for each worker count (1, 2 and 4 on PostgreSQL; 1 on SQLite, which serialises writes and keeps
  one worker), one article published with SUBSCRIPTIONS_SENDERS equal to the workers, the real
  workers (`manage.py db_worker`, separate processes) sending to the sink: the staff save, the
  time until every mail had arrived, messages per second, the workers' peak memory, and the
  exactly-once check: every follower's message counted once at the server, every row "sent".

Usage: python bench/bench_subscriptions.py [FOLLOWERS] [--workers 1,2,4]
"""

import argparse
import multiprocessing
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="bench-subscriptions-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "0")
os.environ["TASKS_BACKEND"] = "db"
os.environ["MEDIA_ROOT"] = f"{scratch}/media"
os.environ["SITE_URL"] = "https://backstory.example"
os.environ["DJANGO_SETTINGS_MODULE"] = "backstory.settings"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SMTP_PORT = free_port()
os.environ["EMAIL_HOST"] = "127.0.0.1"
os.environ["EMAIL_PORT"] = str(SMTP_PORT)

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


class Sink:
    """Counts what arrives, per recipient; parses nothing, so the sink is not what is measured."""

    def __init__(self):
        self.received = Counter()
        self.count = 0
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.received.update(address.lower() for address in envelope.rcpt_tos)
            self.count += len(envelope.rcpt_tos)
            self.arrived.notify_all()
        return "250 OK"

    def reset(self):
        with self.arrived:
            self.received.clear()
            self.count = 0


def peak_memory_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return None


def cpu_seconds(pid):
    """User and system CPU time the process has used so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def address(n):
    return f"reader{n:05d}@example.net"


def build(followers):
    from articles.models import Article, Category
    from authors.models import Author
    from subscriptions.models import Follower

    call_command("migrate", verbosity=0)
    Article.objects.all().delete()  # a scratch database: earlier runs' articles and deliveries
    Follower.objects.all().delete()
    now = timezone.now()
    # Followers joined over the years, about eight a day: the mail is built once per day on
    # which followers joined (subscriptions.mail), so one shared date would flatter it.
    Follower.objects.bulk_create(
        [
            Follower(
                email=address(n),
                status=Follower.Status.ACTIVE,
                confirmed_at=now - timedelta(hours=3 * (followers - n)),
                consent_note="Benchmark data.",
            )
            for n in range(followers)
        ],
        batch_size=1000,
    )
    author, _ = Author.objects.get_or_create(
        slug="bench-author", defaults={"name": "Bench Author", "credentials": "MD"}
    )
    category, _ = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    return author, category


def poll(condition, what, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"Timed out waiting for {what}.")
        time.sleep(0.05)


def sample_message():
    """The bytes of one real new-article mail, for the bare smtplib loops."""
    from articles.models import Article
    from subscriptions.mail import NewArticleMail
    from subscriptions.models import Follower

    article = Article.objects.select_related("author").order_by("pk").first()
    follower = Follower.objects.order_by("pk").first()
    return NewArticleMail(article).for_follower(follower).message().as_bytes(linesep="\r\n")


def smtplib_loop(message, count, queue=None):
    """A bare client: one connection, `count` messages, no database, no templates."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as client:
        for n in range(count):
            client.sendmail("bench@backstory.example", [f"ceiling{n}@example.net"], message)
    elapsed = time.perf_counter() - started
    if queue is not None:
        queue.put(elapsed)
    return elapsed


def ceiling(sink, message, count, loops):
    """Messages per second the sink takes from `loops` bare smtplib loops side by side."""
    sink.reset()
    if loops == 1:
        elapsed = smtplib_loop(message, count)
    else:
        queue = multiprocessing.Queue()
        each = count // loops
        started = time.perf_counter()
        processes = [
            multiprocessing.Process(target=smtplib_loop, args=(message, each, queue))
            for _ in range(loops)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - started
        count = each * loops
    assert sink.count == count, (sink.count, count)
    return count / elapsed


def start_workers(count):
    env = {**os.environ, "SUBSCRIPTIONS_SENDERS": str(count)}
    return [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.1",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for _ in range(count)
    ]


def run(sink, workers, followers, author, category, number):
    """One article to every follower with `workers` workers; returns the figures."""
    from django_tasks_db.models import DBTaskResult

    from articles.models import Article
    from ops import worker as ops_worker
    from subscriptions.models import Delivery

    DBTaskResult.objects.all().delete()
    sink.reset()
    launched = timezone.now()
    processes = start_workers(workers)
    try:
        # A worker's start-up ends by marking its heartbeat: wait for the first, and a moment
        # for the others, so that start-up is not what is measured.
        poll(lambda: (ops_worker.last_seen() or launched) > launched, "the workers to start")
        time.sleep(2)
        cpu_before = sum(cpu_seconds(process.pid) for process in processes)
        started = time.perf_counter()
        article = Article.objects.create(
            title=f"A benchmark article ({number})", slug=f"a-benchmark-article-{number}",
            author=author, category=category,
            body="## Benchmark\n\n" + "Words about the spine. " * 150,
            excerpt="Measuring how fast new-article mail goes out.",
            status=Article.Status.PUBLISHED, published_at=timezone.now(),
        )  # fmt: skip
        saved = time.perf_counter() - started
        with sink.arrived:
            done = sink.arrived.wait_for(lambda: sink.count >= followers, timeout=1800)
        elapsed = time.perf_counter() - started
        if not done:
            raise SystemExit(f"Timed out: {sink.count} of {followers} mails arrived.")
        rows = Delivery.objects.filter(article=article)
        # The last chunk of a batch is recorded as sent just after the server accepted it.
        poll(
            lambda: rows.filter(status=Delivery.Status.SENT).count() == followers,
            "every row to be recorded as sent",
        )
        recorded = time.perf_counter() - started
        peak = [peak_memory_kib(process.pid) for process in processes]
        cpu = sum(cpu_seconds(process.pid) for process in processes) - cpu_before
        load = os.getloadavg()[0]
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    time.sleep(0.5)  # anything sent twice would have arrived by now
    with sink.arrived:
        received = Counter(sink.received)
    expected = {address(n) for n in range(followers)}
    exactly_once = set(received) == expected and set(received.values()) == {1}
    statuses = set(rows.values_list("status", flat=True))
    return {
        "saved": saved,
        "elapsed": elapsed,
        "recorded": recorded,
        "peak": max((p for p in peak if p), default=None),
        "cpu": cpu,
        "load": load,
        "exactly_once": exactly_once and statuses == {Delivery.Status.SENT},
        "twice": sum(1 for n in received.values() if n > 1),
        "missing": len(expected - set(received)),
        "statuses": sorted(statuses),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("followers", nargs="?", type=int, default=10_000)
    parser.add_argument("--workers", default=None, help="worker counts, e.g. 1,2,4")
    args = parser.parse_args()
    vendor = django.db.connection.vendor
    default_counts = "1,2,4" if vendor == "postgresql" else "1"
    counts = [int(n) for n in (args.workers or default_counts).split(",")]
    followers = args.followers

    author, category = build(followers)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    try:
        # An article is needed for the sample message; it notifies nobody (no worker yet, and
        # its Notification is dropped with it).
        from articles.models import Article

        probe = Article.objects.create(
            title="A benchmark article", slug="a-benchmark-article-probe", author=author,
            category=category, body="## Benchmark\n\n" + "Words about the spine. " * 150,
            excerpt="Measuring how fast new-article mail goes out.",
            status=Article.Status.PUBLISHED, published_at=timezone.now(),
        )  # fmt: skip
        message = sample_message()
        probe.delete()
        ceilings = {1: ceiling(sink, message, followers, 1)}
        if max(counts) > 1:
            ceilings[max(counts)] = ceiling(sink, message, followers, max(counts))
        results = {
            workers: run(sink, workers, followers, author, category, number)
            for number, workers in enumerate(counts)
        }
    finally:
        controller.stop()

    print(f"database:                 {vendor}")
    print(f"followers:                {followers}")
    print(f"message size:             {len(message)} bytes")
    print(f"chunk (claim and record): {django.conf.settings.SUBSCRIPTIONS_CLAIM_CHUNK} rows")
    for loops, rate in ceilings.items():
        print(f"SMTP sink ceiling:        {rate:.0f} msg/s ({loops} bare smtplib loop(s))")
    for workers, r in results.items():
        peak = f"{r['peak'] / 1024:.0f} MiB" if r["peak"] else "?"
        print(
            f"{workers} worker(s): {followers / r['elapsed']:.0f} msg/s "
            f"(all {followers} arrived in {r['elapsed']:.1f} s, recorded sent in "
            f"{r['recorded']:.1f} s; staff save {r['saved'] * 1000:.0f} ms; "
            f"peak worker memory {peak} VmHWM)"
        )
        print(
            f"  workers' CPU: {r['cpu'] * 1000 / followers:.2f} ms a message; load average "
            f"{r['load']:.1f} on {os.cpu_count()} cores"
        )
        verdict = "yes" if r["exactly_once"] else "NO"
        print(
            f"  exactly once: {verdict} (sent twice: {r['twice']}, missing: {r['missing']}, "
            f"row statuses: {', '.join(r['statuses'])})"
        )
    if not all(r["exactly_once"] for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
