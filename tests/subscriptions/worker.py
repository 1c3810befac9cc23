"""The real task worker (`manage.py db_worker`) as a separate process, for tests and the bench."""

import os
import signal
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def database_url():
    """The URL of the database this process uses (the test database, under pytest)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{os.path.abspath(db['NAME'])}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, smtp_port, **env):
        # Django's test runner swaps in the in-memory mail backend for this process only; the
        # worker gets the real SMTP backend from EMAIL_HOST, pointed at the loopback server.
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "db",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SITE_URL": settings.SITE_URL,
            "DEBUG": "0",
            **{key: str(value) for key, value in env.items()},
        }
        log_fd, self.log_path = tempfile.mkstemp(prefix="db_worker-", suffix=".log")
        self.process = subprocess.Popen(
            [
                sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
                "--interval", "0.1",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        os.close(log_fd)  # the worker has its own copy

    @property
    def pid(self):
        return self.process.pid

    def output(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def kill(self):
        """SIGKILL: no clean-up, no chance to record anything (a crash, an OOM kill)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        os.unlink(self.log_path)


def wait_until(condition, timeout=60, interval=0.05, message="condition"):
    """Poll `condition` until it is true; fail after `timeout` seconds (no fixed sleeps)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")
