#!/usr/bin/env python
"""Readership statistics under load: what counting costs, and the database writes it needs.

1. A scratch database (`<name>_bench_stats` on PostgreSQL when DATABASE_URL is set, otherwise
   a temporary SQLite file) with the demo content; Redis counts when REDIS_URL is set.
2. gunicorn with gunicorn.conf.py (DEBUG=0) on a free port, behind one trusted proxy so that
   each beacon can come from another reader (X-Forwarded-For, 30,000 addresses).
3. wrk, with Lua scripts for the POSTs:
   - N beacon requests (100,000 by default) at the highest rate the machine takes;
   - the same article page without counting (GET only) and with counting (each view a GET of
     the page and its beacon POST), rendered (PAGE_CACHE=0) and from Django's page cache;
   - with nginx installed, the shipped deploy/nginx.conf in front: pages come from its
     micro-cache and every beacon must still reach the application.
4. Prints beacons/s, p50/p99, the cost counting adds to a page view, the database writes
   (flush transactions and rows) per second, and checks that every beacon answered 204 was
   written (after a graceful stop, which writes what the workers still hold).

Needs wrk (apt-get install wrk; nginx optional). Usage:
    python bench/bench_stats.py [--beacons 100000] [--duration 15]
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402  (bench/web.py: its nginx helpers)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
READERS = 30_000
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FLUSH = re.compile(r"stats flush: (\d+) hits, (\d+) rows")


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def django(env, code):
    """Run `code` in a fresh Django process; returns its last line of output."""
    out = subprocess.run(
        [PY, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return out.splitlines()[-1] if out else ""


class Gunicorn:
    def __init__(self, env, port, workdir, name):
        self.env = {**env, "PORT": str(port)}
        self.port = port
        self.log_path = Path(workdir) / f"gunicorn-{name}.log"

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115  (closed in __exit__)
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log,
            start_new_session=True,
        )  # fmt: skip
        web.wait_for(f"http://127.0.0.1:{self.port}/healthz")
        return self

    def cpu(self):
        """CPU seconds of gunicorn so far: the master and its workers, living and recycled."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # a process that just ended
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == self.process.pid:  # with the workers it has reaped (cutime, cstime)
                total += sum(int(f) for f in fields[11:15])
            elif ppid == self.process.pid:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def measure(self, *args, **kwargs):
        """wrk(...), plus the CPU time gunicorn spent per request."""
        before = self.cpu()
        result = wrk(*args, **kwargs)
        result["cpu_ms"] = (self.cpu() - before) * 1000 / max(result["requests"], 1)
        return result

    def flushes(self):
        """(hits, rows) of every batch written so far, from the workers' log lines."""
        return [tuple(map(int, m)) for m in FLUSH.findall(self.log_path.read_text())]

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)  # graceful: workers write what they hold
        self.process.wait(timeout=60)
        self.log.close()


def lua_beacons(path, site, article_ids, limit_per_thread, marker):
    """Beacons from many readers; each thread stops after its share and leaves a marker file
    (wrk itself runs for its whole duration, so the caller interrupts it then)."""
    ids = ", ".join(map(str, article_ids))
    Path(path).write_text(
        f"""
local ids = {{ {ids} }}
local threads, n, counted = 0, 0, 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)  -- globals in that thread
  thread:set("offset", threads * 7919)
end
response = function(status, headers, body)
  counted = counted + 1
  if counted == {limit_per_thread} then
    local done = io.open("{marker}" .. id, "w")
    done:write("done")
    done:close()
    wrk.thread:stop()
  end
end
request = function()
  n = n + 1
  -- {READERS:,} readers, each coming back now and then, in an order that looks random.
  local reader = (n * 104729 + (offset or 0)) % {READERS}
  local headers = {{
    ["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8",
    ["Origin"] = "{site}",
    ["User-Agent"] = "{AGENT}",
    ["X-Forwarded-For"] = string.format("10.%d.%d.1", reader % 200, math.floor(reader / 200)),
  }}
  local body = "a=" .. ids[(n % #ids) + 1] .. "&r=search.example"
  return wrk.format("POST", "/stats/beacon/", headers, body)
end
"""
    )
    return path


def lua_page_views(path, site, page, article_id):
    """Each view is what a browser does: GET the page, then POST its beacon."""
    Path(path).write_text(
        f"""
local n = 0
request = function()
  n = n + 1
  if n % 2 == 1 then
    return wrk.format("GET", "{page}", {{ ["User-Agent"] = "{AGENT}" }})
  end
  local headers = {{
    ["Content-Type"] = "application/x-www-form-urlencoded;charset=UTF-8",
    ["Origin"] = "{site}",
    ["User-Agent"] = "{AGENT}",
    ["X-Forwarded-For"] = string.format("10.9.%d.%d", math.floor(n / 250) % 250, 1 + n % 250),
  }}
  return wrk.format("POST", "/stats/beacon/", headers, "a={article_id}")
end
"""
    )
    return path


def wrk(url, duration, script=None, warm=True, until=()):
    """wrk -t2 -c16 for `duration` seconds, or until every file in `until` exists."""
    command = ["wrk", "-t2", "-c16", "--latency"]
    if script:
        command += ["-s", str(script)]
    if warm:
        subprocess.run([*command, "-d3s", url], capture_output=True, check=True)
    process = subprocess.Popen([*command, f"-d{duration}s", url], stdout=subprocess.PIPE, text=True)
    if until:
        while process.poll() is None and not all(Path(f).exists() for f in until):
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)  # wrk stops, and reports the time it really ran
    out = process.communicate(timeout=duration + 60)[0]
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "seconds": to_seconds(re.search(r"requests in ([\d.]+\w+),", out).group(1)),
        "p50": web.to_ms(latency["50"]),
        "p99": web.to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
    }


def median(runs):
    """Each figure's median over runs taken in turn (a busy machine slows some of them)."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def to_seconds(text):
    return web.to_ms(text) / 1000


def written_views(env):
    return int(
        django(
            env,
            "from django.db.models import Sum; from stats.models import ArticleDay\n"
            "print(ArticleDay.objects.aggregate(n=Sum('views', default=0))['n'])",
        )
    )


def beacon_through(port, site, article_id):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/stats/beacon/",
        data=urlencode({"a": article_id}).encode(),
        headers={"Origin": site, "User-Agent": AGENT},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("X-Cache-Status")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--beacons", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per page measurement")
    parser.add_argument(
        "--repeat", type=int, default=3,
        help="page measurements without and with counting, taken in turn; medians are shown",
    )  # fmt: skip
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("bench_stats skipped: wrk is missing (apt-get install wrk)")
        return

    workdir = tempfile.mkdtemp(prefix="bench-stats-")
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backstory.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-stats-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": site,
        "DATABASE_URL": web.scratch_database(workdir, suffix="_bench_stats"),
        "MEDIA_ROOT": f"{workdir}/media",
        "STATIC_ROOT": f"{workdir}/static",
        "CONTENT_VERSION_FILE": f"{workdir}/content-version",
        "TASKS_BACKEND": "dummy",
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "INFO",  # each batch written is one log line: counted below
    }
    database = env["DATABASE_URL"].split(":")[0]
    store = "Redis" if env.get("REDIS_URL") else "per-process buffers"
    log(f"scratch data in {workdir} ({database}; counting in {store})")
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        subprocess.run([PY, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    found = django(
        env,
        "from articles.models import Article\n"
        "a = list(Article.objects.published().order_by('pk'))\n"
        "print(a[0].get_absolute_url(), ' '.join(str(x.pk) for x in a))",
    ).split()
    page, article_ids = found[0], [int(pk) for pk in found[1:]]
    results = {}

    # 1. The beacon alone, as fast as it goes.
    before = written_views(env)
    marker = f"{workdir}/thread-done-"
    script = lua_beacons(f"{workdir}/beacons.lua", site, article_ids, -(-args.beacons // 2), marker)
    with Gunicorn({**env, "PAGE_CACHE": "1"}, port, workdir, "beacons") as server:
        log(f"wrk: {args.beacons:,} beacons")
        beacons = server.measure(
            f"{site}/stats/beacon/", 1800, script=script, warm=False,
            until=[f"{marker}1", f"{marker}2"],
        )  # fmt: skip
        elapsed = beacons["seconds"]
        during = server.flushes()
    after_stop = server.flushes()
    views = written_views(env) - before
    answered = beacons["requests"] - beacons["errors"]

    # 2. The same article page without and with counting, rendered and from the page cache.
    mixed = lua_page_views(f"{workdir}/views.lua", site, page, article_ids[0])
    for setup, cache in (("rendered", "0"), ("page cache", "1")):
        name = setup.replace(" ", "-")
        with Gunicorn({**env, "PAGE_CACHE": cache}, port, workdir, name) as server:
            runs = {"without": [], "with": []}
            for turn in range(args.repeat):
                log(f"wrk: article page, {setup}, without and with counting ({turn + 1})")
                runs["without"].append(server.measure(site + page, args.duration))
                runs["with"].append(server.measure(site + page, args.duration, script=mixed))
            for name, measured in runs.items():
                results[setup, name] = median(measured)

    # 3. Through the shipped nginx: the page comes from the micro-cache, the beacon never does.
    nginx_check = None
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        web.APP_PORT, web.NGINX_CACHE_PORT = port, free_port()
        block = web.shipped_nginx_block(workdir).replace(f"{web.ROOT}/staticfiles/",
                                                          f"{workdir}/static/")  # fmt: skip
        with Gunicorn({**env, "PAGE_CACHE": "1"}, port, workdir, "nginx"):
            before = written_views(env)
            with web.Nginx(workdir, "cache", block):
                front = f"http://127.0.0.1:{web.NGINX_CACHE_PORT}"
                statuses = []
                for _ in range(3):
                    with urllib.request.urlopen(front + page, timeout=10) as response:
                        statuses.append(response.headers.get("X-Cache-Status"))
                sent = [beacon_through(web.NGINX_CACHE_PORT, site, article_ids[0])
                        for _ in range(20)]  # fmt: skip
        nginx_check = (statuses, sent, written_views(env) - before)

    cores = os.cpu_count()
    print(f"\nbench_stats: {cores} cores, database {database}, counting in {store}, "
          "gunicorn with gunicorn.conf.py, wrk -t2 -c16")  # fmt: skip
    print("(CPU: what gunicorn's processes spent per request, whatever else the machine runs)")
    print(f"\nbeacons: {beacons['requests']:,} in {beacons['seconds']:.1f}s = "
          f"{beacons['rps']:,.0f}/s (p50 {beacons['p50']:.1f} ms, p99 {beacons['p99']:.1f} ms, "
          f"{beacons['errors']} errors), {beacons['cpu_ms']:.3f} ms CPU each")  # fmt: skip
    transactions = len(during)
    rows = sum(r for _, r in during)
    print(f"  database writes while counting: {transactions} batches "
          f"({transactions / elapsed:.2f} transactions/s, {rows / elapsed:,.0f} rows/s, "
          f"{answered / max(transactions, 1):,.0f} views per transaction); "
          f"{len(after_stop) - transactions} more when the workers stopped")  # fmt: skip
    # wrk does not see the answers to the requests in flight when it stops; they count too.
    in_flight = views - answered
    check = "all written" if answered and 0 <= in_flight <= 16 else "MISMATCH"
    print(f"  views written: {views:,} = {answered:,} beacons answered 204 + {in_flight} in "
          f"flight when wrk stopped ({check})")  # fmt: skip

    print(f"\narticle page {page}: without counting, and with counting (each view = the page "
          "and its beacon)")  # fmt: skip
    print(f"  {'':<12}{'pages/s':>9}{'views/s':>9}{'CPU/page':>10}{'CPU/view':>10}"
          f"{'added (CPU)':>13}{'added (rate)':>14}")  # fmt: skip
    for setup in ("rendered", "page cache"):
        without, with_ = results[setup, "without"], results[setup, "with"]
        views_per_second = with_["rps"] / 2
        per_view = with_["cpu_ms"] * 2
        print(f"  {setup:<12}{without['rps']:>9,.1f}{views_per_second:>9,.1f}"
              f"{without['cpu_ms']:>8.3f}ms{per_view:>8.3f}ms"
              f"{per_view / without['cpu_ms'] - 1:>13.1%}"
              f"{without['rps'] / views_per_second - 1:>14.1%}")  # fmt: skip
        for name, r in (("without", without), ("with", with_)):
            if r["errors"]:
                print(f"    ({name} counting: {r['errors']} non-2xx answers)")
    print(f"  one beacon alone: {beacons['cpu_ms'] / results['rendered', 'without']['cpu_ms']:.1%} "
          "of the CPU of rendering the page, "
          f"{beacons['cpu_ms'] / results['page cache', 'without']['cpu_ms']:.0%} of serving it "
          "from Django's page cache")  # fmt: skip
    if nginx_check:
        statuses, sent, counted = nginx_check
        print(f"\nthrough deploy/nginx.conf: page cache status {statuses}; 20 beacons answered "
              f"{sorted({s for s, _ in sent})}, cache status {sorted({str(c) for _, c in sent})}"
              f"; {counted} written")  # fmt: skip
    if os.environ.get("BENCH_KEEP"):
        log(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    if check != "all written":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
