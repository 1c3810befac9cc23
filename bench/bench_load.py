#!/usr/bin/env python
"""The load check (issue 11): the shipped setup under mixed traffic while staff moderate.

1. Imports the shared benchmark content (../shared/bench: 200 posts, post-001 with 300 threaded
   comments) into a scratch database, as `make bench-web` does (PostgreSQL `<name>_load` when
   DATABASE_URL is set, otherwise SQLite), and adds comments waiting for moderation on post-001,
   the busiest article.
2. Starts the shipped setup on loopback: gunicorn with gunicorn.conf.py and DEBUG=0, the task
   worker (db_worker; mail goes to the console), and the shipped nginx (deploy/nginx.conf, its
   micro-cache) in front, with TRUSTED_PROXY_COUNT=1.
3. Runs two wrk loads at once, each with a Lua script (bench/load_mixed.lua) that counts 5xx
   apart from 4xx: the mixed traffic (reads of the home page, other posts, categories and
   feeds; comments on post-001 and others; likes; follows) and the readers of post-001 alone.
   First without moderation (`--baseline` seconds), then for `--duration` seconds with a staff
   member approving one of post-001's waiting comments every 2 s (through comments.staff, the
   admin's own door: each approval retires the cached pages).
4. Prints the 5xx count, the memory (RSS) of every process at the start and the end, and
   post-001's reads per second, p50 and p99 with and without the approvals.

The rate limits are raised for the run: from loopback every request comes from one IP, and the
point is to store comments, likes and follows, not to count 429s.

Usage: python bench/bench_load.py [--duration 300] [--baseline 60] [--connections 16]
Needs wrk and nginx (apt-get install wrk nginx).
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402  (bench/web.py: the database, nginx and wrk helpers of make bench-web)

ROOT = web.ROOT
PY = sys.executable
APP_PORT, NGINX_PORT = 9301, 9302
LUA = Path(__file__).with_name("load_mixed.lua")


def log(message):
    web.log(message)


def django(env, code, *args):
    out = subprocess.run(
        [PY, "-c", "import django; django.setup()\n" + code, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


SEED = """
import sys, time
from django.utils import timezone
from articles.models import Article
from comments.models import Comment
from comments.forms import CommentForm
article = Article.objects.published().get(slug="post-001")
for n in range(int(sys.argv[1])):
    c = Comment(content_object=article, site_id=1, user_name=f"Waiting {n}",
                user_email=f"waiting{n}@example.net", comment=f"A comment waiting {n}.",
                submit_date=timezone.now(), status=Comment.Status.PENDING)
    c.save()
# Form data as the article page hands it out (valid for 7 days; old enough to be no bot's).
stamp = int(time.time()) - 60
others = list(Article.objects.published().exclude(pk=article.pk).order_by("?")[:20])
print("POST", article.get_absolute_url())
for other in [article] * 4 + others:
    form = CommentForm(other)
    print("FORM", other.pk, other.get_absolute_url(), stamp, form.initial_security_hash(stamp))
for other in Article.objects.published().order_by("?")[:40]:
    print("READ", other.get_absolute_url())
"""

APPROVER = """
import sys, time
from articles.models import Article
from comments import staff
from comments.models import Comment
article = Article.objects.published().get(slug="post-001")
waiting = Comment.objects.for_target(article).filter(status=Comment.Status.PENDING)
end = time.monotonic() + float(sys.argv[1])
approved = 0
while time.monotonic() < end:
    started = time.monotonic()
    comment = waiting.order_by("pk").first()
    if comment is not None:
        staff.moderate(comment, "approve")
        approved += 1
    time.sleep(max(0, 2 - (time.monotonic() - started)))
print(approved)
"""


def prepared_requests(seed_lines, path):
    """The mixed traffic, as lines for load_mixed.lua: about 70 % reads, 10 % each of comments,
    likes and follows (weights by repetition)."""
    forms, reads, post = [], [], None
    for line in seed_lines:
        kind, *rest = line.split()
        if kind == "POST":
            post = rest[0]
        elif kind == "FORM":
            forms.append(rest)
        elif kind == "READ":
            reads.append(rest[0])
    lines = []
    for url in ["/", "/page/2/", "/feed/", "/category/uncategorized/", *reads]:
        lines += [f"GET\t{url}\t"] * 2
    rng = random.Random(11)
    writes = len(lines) // 7
    for n in range(writes):
        pk, url, stamp, digest = forms[n % len(forms)]
        body = urllib.parse.urlencode({
            "content_type": "articles.article", "object_pk": pk, "timestamp": stamp,
            "security_hash": digest, "reply_to": "0", "name": f"Load reader {n}",
            "email": f"load{n}-{rng.randrange(10**9)}@example.net", "url": "",
            "comment": f"Thank you for this article, it helped (load check {n}).", "honeypot": "",
        })  # fmt: skip
        lines.append(f"POST\t/comments/post/\t{body}")
        lines.append(f"POST\t{forms[(n * 7) % len(forms)][1]}like/\t")
        lines.append(f"POST\t/subscribe/\temail=follow{n}-{rng.randrange(10**9)}%40example.net")
    Path(path).write_text("\n".join(lines) + "\n")
    return post


def run_wrk(url, seconds, connections, script_args=(), script=LUA):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    command += [url, "--", *script_args]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    counts = dict(re.findall(r"(5xx|4xx|ok)=(\d+)", out))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": web.to_ms(latency["50"]),
        "p99": web.to_ms(latency["99"]),
        "5xx": int(counts.get("5xx", 0)),
        "4xx": int(counts.get("4xx", 0)),
    }


def descendants(pids):
    """The processes started for the run and all their children, from /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, todo = set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid in found or pid not in parents:
            continue
        found.add(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return sorted(found)


def memory(pids):
    """{pid: (name, RSS in MiB)} for the run's processes alive now."""
    sizes = {}
    for pid in descendants(pids):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
        names = ("gunicorn", "db_worker", "nginx: master", "nginx: worker")
        name = next((n for n in names if n in cmdline), cmdline[:40])
        sizes[pid] = (name, rss)
    return sizes


def start(command, env):
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def phase(name, post_url, mixed_url, args, lines_file, approve_seconds=None):
    """Both loads at once for the phase's length; with approvals when `approve_seconds` is set."""
    seconds = approve_seconds or args.baseline
    results = {}
    approver = None
    if approve_seconds:
        approver = subprocess.Popen(
            [PY, "-c", "import django; django.setup()\n" + APPROVER, str(seconds)],
            cwd=ROOT, env=args.env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip

    def load(key, url, connections, script_args):
        results[key] = run_wrk(url, seconds, connections, script_args)

    reads_file = Path(lines_file).with_name("reads.txt")
    reads_file.write_text(f"GET\t{urllib.parse.urlsplit(post_url).path}\t\n")
    loads = [
        threading.Thread(target=load, args=("mixed", mixed_url, args.connections, [lines_file])),
        threading.Thread(target=load, args=("post", post_url, args.connections, [str(reads_file)])),
    ]
    log(f"{name}: {seconds}s of mixed traffic and post-001 readers")
    for thread in loads:
        thread.start()
    for thread in loads:
        thread.join()
    if approver:
        results["approved"] = int(approver.communicate(timeout=60)[0].strip() or 0)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds with approvals")
    parser.add_argument("--baseline", type=int, default=60, help="seconds without approvals")
    parser.add_argument("--connections", type=int, default=16, help="per load (two loads)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx")
    for port in (APP_PORT, NGINX_PORT):
        if not web.port_free(port):
            raise SystemExit(f"port {port} is in use")
    web.APP_PORT, web.NGINX_CACHE_PORT = APP_PORT, NGINX_PORT  # for shipped_nginx_block

    workdir = tempfile.mkdtemp(prefix="bench-load-")
    base = f"http://127.0.0.1:{NGINX_PORT}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backstory.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-load-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": base,
        "DATABASE_URL": web.scratch_database(workdir, "_load"),
        "MEDIA_ROOT": f"{workdir}/media",
        "CONTENT_VERSION_FILE": f"{workdir}/content-version",
        "TASKS_BACKEND": "db",
        "PORT": str(APP_PORT),
        "SERVE_MEDIA": "0",
        "TRUSTED_PROXY_COUNT": "1",
        "COMMENTS_RATE_LIMIT": "1000000",
        "LIKES_RATE_LIMIT": "1000000",
        "SUBSCRIPTIONS_RATE_LIMIT": "1000000",
    }
    env.pop("EMAIL_HOST", None)  # mail to the worker's console, never out
    args.env = env
    log(f"content and database in {workdir} ({env['DATABASE_URL'].split(':')[0]})")
    shared = web.SHARED
    web.run(PY, str(shared / "gen_content.py"), f"{workdir}/content.json")
    web.run(PY, str(shared / "content_to_wxr.py"), f"{workdir}/content.json", f"{workdir}/wxr.xml")
    web.run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
    web.run(PY, "manage.py", "import_wordpress", f"{workdir}/wxr.xml", "-v0", env=env)
    web.run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    waiting = (args.duration // 2) + 20
    seed = django(env, SEED, str(waiting)).splitlines()
    lines_file = f"{workdir}/requests.txt"
    post_path = prepared_requests(seed, lines_file)

    gunicorn = start([PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"], env)
    worker = start([PY, "manage.py", "db_worker"], env)
    processes = [gunicorn.pid, worker.pid]
    try:
        web.wait_for(f"http://127.0.0.1:{APP_PORT}/healthz")
        with web.Nginx(workdir, "cache", web.shipped_nginx_block(workdir)) as nginx:
            processes.append(nginx.process.pid)
            web.wait_for(f"{base}/healthz")
            subprocess.run(["wrk", "-t1", "-c4", "-d3s", base + post_path], capture_output=True)
            with urllib.request.urlopen(base + post_path) as probe:
                cache_status = probe.headers.get("X-Cache-Status", "?")
            before = memory(processes)
            quiet = phase("without approvals", base + post_path, base, args, lines_file)
            busy = phase(
                "with approvals every 2 s", base + post_path, base, args, lines_file,
                approve_seconds=args.duration,
            )  # fmt: skip
            after = memory(processes)
    finally:
        for process in (gunicorn, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    print(f"\nbench_load: {args.baseline}s without approvals, then {args.duration}s with one "
          f"every 2 s ({busy['approved']} approved); wrk -c{args.connections} for each of two "
          f"loads; {os.cpu_count()} cores; database {env['DATABASE_URL'].split(':')[0]}; "
          "gunicorn + db_worker behind the shipped nginx")  # fmt: skip
    fivexx = sum(r[k]["5xx"] for r in (quiet, busy) for k in ("mixed", "post"))
    print(f"\npost-001 through nginx after the warm-up: X-Cache-Status {cache_status}")
    print(f"5xx responses: {fivexx}")
    print(f"4xx responses (mixed traffic): {quiet['mixed']['4xx'] + busy['mixed']['4xx']}")
    print(f"\n  {'post-001 reads':<26}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, result in (("without approvals", quiet), ("with approvals", busy)):
        r = result["post"]
        print(f"  {label:<26}{r['rps']:>10.1f}{r['p50']:>10.1f}{r['p99']:>10.1f}")
    ratio = busy["post"]["rps"] / quiet["post"]["rps"] if quiet["post"]["rps"] else 0
    print(f"  with / without: {ratio:.0%}")
    print(f"\n  {'mixed traffic':<26}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for label, result in (("without approvals", quiet), ("with approvals", busy)):
        r = result["mixed"]
        print(f"  {label:<26}{r['rps']:>10.1f}{r['p50']:>10.1f}{r['p99']:>10.1f}")
    print(f"\n  {'process':<20}{'pid':>8}{'RSS start MiB':>15}{'RSS end MiB':>13}")
    for pid in sorted(set(before) | set(after)):
        name = (before.get(pid) or after.get(pid))[0][:14]
        name += " (master)" if pid == gunicorn.pid else ""
        start_rss = f"{before[pid][1]:.1f}" if pid in before else "-"
        end_rss = f"{after[pid][1]:.1f}" if pid in after else "(gone)"
        print(f"  {name:<20}{pid:>8}{start_rss:>15}{end_rss:>13}")
    if os.environ.get("BENCH_KEEP"):
        log(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
