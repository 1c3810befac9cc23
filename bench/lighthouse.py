#!/usr/bin/env python
"""`make lighthouse`: Lighthouse 12 (mobile profile) on the production setup with the demo.

1. A fresh SQLite database and media folder in a temporary directory, the demo content
   (`load_demo`, its image renditions made at once) and a short approved thread on the newest
   article, so "an article with comments" has some; `collectstatic`.
2. gunicorn with gunicorn.conf.py, DEBUG=0, behind nginx with the shipped deploy/nginx.conf
   (gzip, static and media files from disk, the micro-cache), as bench/web.py starts them.
3. bench/lighthouse/run.mjs (Lighthouse 12.2.3 pinned in bench/lighthouse/package.json,
   installed there by npm on first use; Chromium at CHROME_PATH, default /usr/bin/chromium) on
   the home page, that article, its category and the comment form's error page (the form sent
   empty).
4. Prints the four scores and the largest contentful paint per page; exits non-zero when a
   page misses the target (100 in every category, LCP under 1.5 s) with --strict.

Usage: python bench/lighthouse.py [--port 9610] [--strict] [--json]   (nginx on port + 1)
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from web import Nginx, port_free, wait_for

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "bench" / "lighthouse"
PY = sys.executable
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LCP_TARGET_MS = 1500


def log(message):
    print(message, file=sys.stderr, flush=True)


def run(*command, env=None, **kwargs):
    return subprocess.run(command, check=True, env=env, cwd=ROOT, **kwargs)


def install_lighthouse():
    if not (TOOL / "node_modules" / "lighthouse").is_dir():
        log("installing Lighthouse 12.2.3 into bench/lighthouse/node_modules")
        run("npm", "install", "--prefix", str(TOOL), "--no-audit", "--no-fund",
            "--no-package-lock", "--loglevel=error")  # fmt: skip


SETUP = """
import datetime, json, django
django.setup()
from django.utils import timezone
from articles.demo import load_demo
from articles.models import Article
from comments.importing import ImportedComment, Status, import_comments

load_demo()
article = Article.objects.published().order_by("-published_at").first()
now = timezone.now()
thread = [
    (1, None, "Robin", "Thank you: this is the clearest explanation I have read. How long did the "
     "numbness last for other people?"),
    (2, 1, "Larkfield Spine Center", "Usually an hour or two, as the local anaesthetic wears off. "
     "If it lasts longer, call us."),
    (3, None, "Sam", "I had mine last month and the relief started after about four days."),
]
import_comments(article, [
    ImportedComment(
        wp_id=900000 + n, wp_parent_id=None if parent is None else 900000 + parent,
        user_name=name, user_email="", user_url="", user_id=None, text=text,
        submit_date=now - datetime.timedelta(hours=10 - n), ip_address=None,
        status=Status.APPROVED,
    )
    for n, parent, name, text in thread
])
print(json.dumps({"article": article.get_absolute_url(),
                  "category": article.category.get_absolute_url()}))
"""


def nginx_block(workdir, app_port, port):
    """deploy/nginx.conf with this run's ports and paths."""
    # A packaged nginx.conf includes the file types in its http block; without them styles
    # would be sent as text/html, which browsers refuse to apply.
    text = "include /etc/nginx/mime.types;\n" + (ROOT / "deploy" / "nginx.conf").read_text()
    text = text.replace("/var/cache/nginx/backstory", f"{workdir}/nginx-front/cache")
    text = text.replace("127.0.0.1:8000", f"127.0.0.1:{app_port}")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    text = text.replace("/srv/backstory/staticfiles/", f"{workdir}/static/")
    return text.replace("/srv/backstory/media/", f"{workdir}/media/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LIGHTHOUSE_PORT", 9610)))
    parser.add_argument("--strict", action="store_true", help="fail when a page misses target")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--serve", action="store_true", help="set up, then serve until ^C")
    parser.add_argument(
        "--report", metavar="FILE.html", help="save Lighthouse's flow report (.html, or .json)"
    )
    args = parser.parse_args()
    if not shutil.which("node"):
        raise SystemExit("node is missing: apt-get install nodejs npm")
    install_lighthouse()
    for port in (args.port, args.port + 1):
        if not port_free(port):
            raise SystemExit(f"port {port} is in use")

    workdir = tempfile.mkdtemp(prefix="lighthouse-")
    front = args.port + 1
    base = f"http://127.0.0.1:{front}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backstory.settings",
        "DEBUG": "0",
        "SECRET_KEY": "lighthouse-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": base,
        "DATABASE_URL": f"sqlite:///{workdir}/lighthouse.sqlite3",
        "MEDIA_ROOT": f"{workdir}/media",
        "STATIC_ROOT": f"{workdir}/static",
        "SERVE_MEDIA": "0",
        "TRUSTED_PROXY_COUNT": "1",
        "TASKS_BACKEND": "immediate",  # renditions made as the demo is loaded
        "PORT": str(args.port),
        "GUNICORN_WORKERS": "2",
        # Lighthouse sends the form at once; the production minimum would refuse it instead of
        # showing the form's errors.
        "COMMENTS_MIN_SECONDS": "0",
    }
    env.pop("REDIS_URL", None)
    try:
        log(f"demo content in {workdir}")
        run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
        pages = json.loads(
            run(PY, "-c", SETUP, env=env, capture_output=True, text=True).stdout.splitlines()[-1]
        )
        run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "gunicorn.conf.py", "backstory.wsgi"],
            cwd=ROOT, env={**env, "TASKS_BACKEND": "dummy"}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{args.port}/healthz")
            with Nginx(workdir, "front", nginx_block(workdir, args.port, front)):
                if args.serve:
                    log(f"serving {base}{pages['article']} (^C stops)")
                    stop = {signal.SIGINT, signal.SIGTERM}
                    signal.pthread_sigmask(signal.SIG_BLOCK, stop)
                    signal.sigwait(stop)
                    return
                # A site in use has rendered its pages before: the first render after a start
                # (templates compiled, caches empty) is not what readers meet.
                for path in ("/", pages["article"], pages["category"]):
                    for _ in range(2):
                        urllib.request.urlopen(base + path, timeout=30).read()
                spec = {
                    "base": base,
                    "pages": {
                        "home": "/",
                        "article with comments": pages["article"],
                        "category": pages["category"],
                    },
                    "errorPage": pages["article"],
                }
                log("running Lighthouse 12.2.3, mobile profile (a minute or two)")
                tool_env = {
                    **env,
                    "CHROME_PATH": env.get("CHROME_PATH", "/usr/bin/chromium"),
                    "LIGHTHOUSE_REPORT": os.path.abspath(args.report) if args.report else "",
                }
                out = subprocess.run(
                    ["node", str(TOOL / "run.mjs"), json.dumps(spec)],
                    cwd=ROOT, env=tool_env, capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    results = json.loads(out.strip().splitlines()[-1])
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"\nmake lighthouse: Lighthouse 12.2.3, mobile profile, DEBUG=0 gunicorn, {stamp}")
    print(f"  {'page':<24}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'LCP':>9}")
    missed = []
    for name, r in results.items():
        scores = [r.get(c) for c in CATEGORIES]
        print(f"  {name:<24}" + "".join(f"{s if s is not None else '-':>6}" for s in scores)
              + f"{r['lcp_ms'] / 1000:>8.2f}s")  # fmt: skip
        if any(s != 100 for s in scores) or r["lcp_ms"] >= LCP_TARGET_MS:
            missed.append(name)
            if r.get("failing"):
                print(f"      not passed: {', '.join(r['failing'])}")
            metrics = r.get("metrics") or {}
            print("      " + ", ".join(f"{k} {v}" for k, v in metrics.items() if v))
    print(f"  target: 100 in each, LCP under {LCP_TARGET_MS / 1000:.1f} s"
          + (f"; missed on: {', '.join(missed)}" if missed else "; met on every page"))  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=2))
    if args.strict and missed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
