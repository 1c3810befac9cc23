#!/usr/bin/env python
"""New-article mail to 10,000 followers (the "follow by email" issue's benchmark).

Builds a throwaway SQLite database (or uses DATABASE_URL if set: give it a scratch database),
adds 10,000 active followers, starts the real worker (`manage.py db_worker`, django-tasks-db)
as a separate process sending to an aiosmtpd sink on loopback, publishes one article and prints
how long the staff save took, the time until every mail had arrived, messages per second and the
worker's peak memory (VmHWM). Usage: python bench/bench_subscriptions.py [FOLLOWERS]
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
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
    """Counts what arrives; parses nothing, so the sink is not what is being measured."""

    def __init__(self):
        self.count = 0
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            self.count += len(envelope.rcpt_tos)
            self.arrived.notify_all()
        return "250 OK"


def peak_memory_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def build(followers):
    from articles.models import Category
    from authors.models import Author
    from subscriptions.models import Follower

    call_command("migrate", verbosity=0)
    now = timezone.now()
    Follower.objects.bulk_create(
        [
            Follower(
                email=f"reader{n:05d}@example.net",
                status=Follower.Status.ACTIVE,
                confirmed_at=now,
                consent_note="Benchmark data.",
            )
            for n in range(followers)
        ],
        batch_size=1000,
    )
    author = Author.objects.create(name="Bench Author", slug="bench-author", credentials="MD")
    category = Category.objects.create(name="Bench", slug="bench")
    return author, category


def poll(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("Timed out waiting for the worker.")
        time.sleep(0.05)


def wait_for_worker_start():
    """The worker's start-up sweep ends by queuing the periodic sweep."""
    from django_tasks_db.models import DBTaskResult

    poll(lambda: DBTaskResult.objects.filter(task_path__endswith=".sweep_deliveries").exists())


def main():
    from articles.models import Article
    from subscriptions.models import Delivery

    followers = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    author, category = build(followers)
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.1", "--verbosity", "0"],
        cwd=ROOT,
        env=os.environ.copy(),
    )  # fmt: skip
    try:
        wait_for_worker_start()  # its start-up is not what is measured
        started = time.perf_counter()
        Article.objects.create(
            title="A benchmark article", slug="a-benchmark-article", author=author,
            category=category, body="## Benchmark\n\n" + "Words about the spine. " * 150,
            excerpt="Measuring how fast new-article mail goes out.",
            status=Article.Status.PUBLISHED, published_at=timezone.now(),
        )  # fmt: skip
        saved = time.perf_counter() - started
        with sink.arrived:
            done = sink.arrived.wait_for(lambda: sink.count >= followers, timeout=1800)
        elapsed = time.perf_counter() - started
        if not done:
            print(f"Timed out: {sink.count} of {followers} mails arrived.")
            sys.exit(1)
        # The last mail of a batch is recorded as sent just after the server accepted it.
        poll(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == followers)
        recorded = time.perf_counter() - started
        peak = peak_memory_kib(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        controller.stop()

    print(f"database:                {django.db.connection.vendor}")
    print(f"followers:               {followers}")
    print(f"staff save (publish):    {saved * 1000:.0f} ms")
    print(f"all mails delivered in:  {elapsed:.1f} s")
    print(f"messages per second:     {followers / elapsed:.0f}")
    print(f"worker peak memory:      {peak / 1024:.0f} MiB (VmHWM)" if peak else "worker peak: ?")
    print(f"all recorded as sent in: {recorded:.1f} s")


if __name__ == "__main__":
    main()
