"""The real task worker as a separate process, for tests and the bench, on either backend:
`manage.py db_worker` (django-tasks-db) or `manage.py rqworker --with-scheduler` (RQ on Redis).
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from urllib.parse import quote

from django.conf import settings
from django.db import connection

# Tasks that queue themselves again for ever: never "work left to do".
PERIODIC = [
    "subscriptions.tasks.sweep_deliveries",
    "comments.tasks.sweep_comment_mail",
    "ops.tasks.heartbeat",
]


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


class DatabaseQueue:
    """django-tasks-db: the queue is the DBTaskResult table."""

    name = "db"
    command = ["db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"]
    env = {"TASKS_BACKEND": "db"}

    def configure(self, settings):
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    @staticmethod
    def _results():
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects

    def waiting(self, task_path):
        """How many runs of the task are queued (now or for later)."""
        return self._results().filter(task_path=task_path, status="READY").count()

    def due(self):
        """Whether any task other than the periodic ones is ready to run now."""
        return self._results().ready().exclude(task_path__in=PERIODIC).exists()

    def running(self, task_path):
        return self._results().filter(task_path=task_path, status="RUNNING").exists()

    def lose_everything(self):
        self._results().all().delete()

    def empty(self):
        return not self._results().exists()


class RQQueue:
    """django-tasks-rq: the queue, its scheduled and started registries, in a test redis-server."""

    name = "rq"
    command = ["rqworker", "--with-scheduler"]

    def __init__(self, redis_server):
        import redis
        from rq import Queue

        self.server = redis_server
        self.env = {"TASKS_BACKEND": "rq", "REDIS_URL": redis_server.url}
        self.queue = Queue("default", connection=redis.Redis.from_url(redis_server.url))

    def configure(self, settings):
        settings.TASKS = {"default": {"BACKEND": "ops.rq_backend.RQBackend"}}
        settings.RQ_QUEUES = {"default": {"URL": self.server.url}}
        settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

    def _paths(self, job_ids):
        from rq.job import Job

        jobs = Job.fetch_many(list(job_ids), connection=self.queue.connection)
        return [job.func_name for job in jobs if job is not None]

    def waiting(self, task_path):
        queued = self._paths(self.queue.get_job_ids())
        scheduled = self._paths(self.queue.scheduled_job_registry.get_job_ids())
        return (queued + scheduled).count(task_path)

    def due(self):
        due_now = self.queue.scheduled_job_registry.get_jobs_to_schedule()
        paths = self._paths(self.queue.get_job_ids()) + self._paths(due_now)
        return any(path not in PERIODIC for path in paths)

    def running(self, task_path):
        return task_path in self._paths(self.queue.started_job_registry.get_job_ids())

    def lose_everything(self):
        self.server.flush()

    def empty(self):
        return not self.queue.connection.keys("rq:job:*")


def _process_tree(pid):
    """pid and every process below it (RQ's work horse and scheduler are its children)."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return tree


def _signal_all(pids, sig):
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


class WorkerProcess:
    def __init__(self, smtp_port, queue=None, **env):
        self.queue = queue or DatabaseQueue()
        # Django's test runner swaps in the in-memory mail backend for this process only; the
        # worker gets the real SMTP backend from EMAIL_HOST, pointed at the loopback server.
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            **self.queue.env,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SITE_URL": settings.SITE_URL,
            "DEBUG": "0",
            **{key: str(value) for key, value in env.items()},
        }
        log_fd, self.log_path = tempfile.mkstemp(prefix="worker-", suffix=".log")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *self.queue.command],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
        )
        os.close(log_fd)  # the worker has its own copy

    @property
    def pid(self):
        return self.process.pid

    def output(self):
        with open(self.log_path, errors="replace") as log:
            return log.read()

    def kill(self):
        """SIGKILL: no clean-up, no chance to record anything (a crash, an OOM kill of the whole
        service). Frozen first, so that no process of it can react to another's death."""
        os.kill(self.pid, signal.SIGSTOP)  # it can fork no new work horse now
        tree = _process_tree(self.pid)
        _signal_all(tree, signal.SIGSTOP)
        _signal_all(tree, signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self):
        """SIGTERM, as systemd stops a service: the worker finishes its task and exits."""
        if self.process.poll() is None and not hasattr(self, "_tree"):
            self._tree = _process_tree(self.pid)
            self.process.terminate()

    def stop(self):
        self.terminate()
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        _signal_all(getattr(self, "_tree", [])[1:], signal.SIGKILL)  # nothing outlives the test
        os.unlink(self.log_path)


def wait_until(condition, timeout=60, interval=0.05, message="condition"):
    """Poll `condition` until it is true; fail after `timeout` seconds (no fixed sleeps).

    `message` may be a callable, to describe the state at the time of failure (a worker's log).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    if callable(message):
        message = message()
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")
