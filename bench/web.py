#!/usr/bin/env python
"""`make bench-web`: the shipped production setup under load, beside nginx serving a file.

1. Generates the shared benchmark content (../shared/bench: 200 posts, post-001 with 300
   threaded comments) and imports it with `import_wordpress` into a fresh database: a scratch
   PostgreSQL database `<name>_bench` when DATABASE_URL is set, otherwise a temporary SQLite file.
2. Starts gunicorn with gunicorn.conf.py (DEBUG=0) and runs `wrk -t2 -c16 -d15s --latency`,
   after a warm-up, against the home page and post-001:
   - uncached (PAGE_CACHE=0),
   - through the shipped cache (Django's page cache; Redis when REDIS_URL is set),
   - through the shipped nginx micro-cache (deploy/nginx.conf) in front of it,
   - and nginx serving a saved copy of the same page from a file.
3. Prints requests/s, p50, p99, the CPU time the serving processes spent per request (gunicorn's
   master and workers, or nginx's; unlike requests/s it hardly moves when other work shares the
   machine, so before/after comparisons on a busy machine read it first), bytes (raw and gzip),
   SQL queries per page, and each figure's ratio to nginx serving the file.

Needs wrk and nginx (apt-get install wrk nginx). Usage: python bench/web.py [--duration 15]
"""

import argparse
import getpass
import gzip
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
PY = sys.executable
APP_PORT, NGINX_CACHE_PORT, NGINX_FILE_PORT = 8123, 8124, 8125


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(*command, env=None, **kwargs):
    return subprocess.run(command, check=True, env=env, cwd=ROOT, **kwargs)


def scratch_database(workdir, suffix="_bench"):
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{workdir}/bench.sqlite3"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    admin = urlunsplit(parts._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout}s")


def port_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def group_cpu(pgid):
    """CPU seconds (user + system) used so far by every process in a process group."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(url, duration, server):
    subprocess.run(["wrk", "-t2", "-c16", "-d3s", url], capture_output=True, check=True)
    cpu_before = group_cpu(server.process.pid)
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    cpu = group_cpu(server.process.pid) - cpu_before
    total = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": int(errors.group(1)) if errors else 0,
        "cpu_ms": 1000 * cpu / max(total, 1),
    }


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


class Gunicorn:
    def __init__(self, env):
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{APP_PORT}/healthz")
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Nginx:
    def __init__(self, workdir, name, server_block):
        self.dir = Path(workdir) / f"nginx-{name}"
        (self.dir / "cache").mkdir(parents=True, exist_ok=True)
        self.conf = self.dir / "nginx.conf"
        # Started as root, nginx's workers would run as www-data, which cannot read or write
        # this run's private temporary folders: keep them as the user running the benchmark.
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        self.conf.write_text(
            f"""{user}worker_processes 2;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {self.dir}/body;
    proxy_temp_path {self.dir}/proxy;
    fastcgi_temp_path {self.dir}/fastcgi;
    uwsgi_temp_path {self.dir}/uwsgi;
    scgi_temp_path {self.dir}/scgi;
    default_type text/html;
{server_block}
}}
"""
        )

    def __enter__(self):
        self.process = subprocess.Popen(
            ["nginx", "-c", str(self.conf), "-p", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        time.sleep(0.5)
        if self.process.poll() is not None:
            raise SystemExit(f"nginx failed: {(self.dir / 'error.log').read_text()[-2000:]}")
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=30)


def shipped_nginx_block(workdir):
    """deploy/nginx.conf with this run's ports and paths."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    text = text.replace("/var/cache/nginx/backstory", f"{workdir}/nginx-cache/cache")
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{APP_PORT}")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{NGINX_CACHE_PORT};")
    text = text.replace("/srv/backstory/staticfiles/", f"{ROOT}/staticfiles/")
    text = text.replace("/srv/backstory/media/", f"{workdir}/media/")
    return text


def file_nginx_block(docroot):
    return f"""
    gzip on;
    gzip_types text/html;
    server {{
        listen 127.0.0.1:{NGINX_FILE_PORT};
        root {docroot};
        location / {{ try_files $uri ${{uri}}index.html =404; }}
    }}"""


def count_queries(env, path):
    """SQL queries for one page: right after a change of content, and once its fragments are
    cached (the full-page cache off)."""
    code = (
        "import django, sys; django.setup();"
        "from django.db import connection; from django.test import Client;"
        "from django.test.utils import CaptureQueriesContext;"
        "from pagecache import version;"
        "c = Client(); c.get(sys.argv[1]); version.bump();"
        "cold = CaptureQueriesContext(connection)\n"
        "with cold: c.get(sys.argv[1])\n"
        "warm = CaptureQueriesContext(connection)\n"
        "with warm: c.get(sys.argv[1])\n"
        "print(len(cold.captured_queries), len(warm.captured_queries))"
    )
    out = subprocess.run(
        [PY, "-c", code, path], cwd=ROOT, env={**env, "ALLOWED_HOSTS": "testserver"},
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return int(out[-2]), int(out[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx")
    for port in (APP_PORT, NGINX_CACHE_PORT, NGINX_FILE_PORT):
        if not port_free(port):
            raise SystemExit(f"port {port} is in use")

    workdir = tempfile.mkdtemp(prefix="bench-web-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backstory.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-web-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{APP_PORT}",
        "DATABASE_URL": scratch_database(workdir),
        "MEDIA_ROOT": f"{workdir}/media",
        "TASKS_BACKEND": "dummy",
        "PORT": str(APP_PORT),
        "SERVE_MEDIA": "0",
    }
    log(f"content and database in {workdir} ({env['DATABASE_URL'].split(':')[0]})")
    run(PY, str(SHARED / "gen_content.py"), f"{workdir}/content.json")
    run(PY, str(SHARED / "content_to_wxr.py"), f"{workdir}/content.json", f"{workdir}/content.xml")
    run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
    started = time.monotonic()
    run(PY, "manage.py", "import_wordpress", f"{workdir}/content.xml", "-v0", env=env)
    log(f"imported in {time.monotonic() - started:.1f}s")
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)

    post = subprocess.run(
        [PY, "-c", "import django; django.setup(); from articles.models import Article;"
         "print(Article.objects.published().get(slug='post-001').get_absolute_url())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    pages = {"home": "/", "post-001": post}

    results, sizes, queries = {}, {}, {}
    docroot = Path(workdir) / "saved"
    uncached = {**env, "PAGE_CACHE": "0"}
    cached = {**env, "PAGE_CACHE": "1"}
    for name, path in pages.items():
        queries[name] = count_queries(uncached, path)

    with Gunicorn(uncached) as app:
        for name, path in pages.items():
            body = urllib.request.urlopen(f"http://127.0.0.1:{APP_PORT}{path}").read()
            sizes[name] = (len(body), len(gzip.compress(body, 6)))
            (docroot / path.strip("/")).mkdir(parents=True, exist_ok=True)
            (docroot / path.strip("/") / "index.html").write_bytes(body)
            log(f"wrk: {name} uncached")
            results[(name, "uncached")] = wrk(
                f"http://127.0.0.1:{APP_PORT}{path}", args.duration, app
            )

    with Gunicorn(cached) as app:
        for name, path in pages.items():
            log(f"wrk: {name} through Django's page cache")
            results[(name, "page cache")] = wrk(
                f"http://127.0.0.1:{APP_PORT}{path}", args.duration, app
            )
        with Nginx(workdir, "cache", shipped_nginx_block(workdir)) as web:
            for name, path in pages.items():
                log(f"wrk: {name} through the nginx micro-cache")
                results[(name, "nginx micro-cache")] = wrk(
                    f"http://127.0.0.1:{NGINX_CACHE_PORT}{path}", args.duration, web
                )

    with Nginx(workdir, "file", file_nginx_block(docroot)) as web:
        for name, path in pages.items():
            log(f"wrk: {name} saved copy served by nginx")
            results[(name, "nginx, saved file")] = wrk(
                f"http://127.0.0.1:{NGINX_FILE_PORT}{path}", args.duration, web
            )

    print(f"\nmake bench-web: wrk -t2 -c16 -d{args.duration}s --latency, {os.cpu_count()} cores, "
          f"database {env['DATABASE_URL'].split(':')[0]}")  # fmt: skip
    for name in pages:
        raw, packed = sizes[name]
        cold, warm = queries[name]
        print(f"\n{name}: {raw / 1024:.1f} KiB HTML ({packed / 1024:.1f} KiB gzip); SQL queries: "
              f"{cold} right after a change, {warm} once its fragments are cached")  # fmt: skip
        base = results[(name, "nginx, saved file")]
        print(f"  {'setup':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'CPU ms/req':>12}"
              f"{'vs nginx file':>15}")  # fmt: skip
        for setup in ("uncached", "page cache", "nginx micro-cache", "nginx, saved file"):
            r = results[(name, setup)]
            flag = f"  ({r['errors']} errors)" if r["errors"] else ""
            print(f"  {setup:<22}{r['rps']:>10.1f}{r['p50']:>10.1f}{r['p99']:>10.1f}"
                  f"{r['cpu_ms']:>12.3f}{r['rps'] / base['rps']:>14.1%}{flag}")  # fmt: skip
    if os.environ.get("BENCH_KEEP"):
        log(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
