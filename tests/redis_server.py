"""A throwaway redis-server (Debian's) on a free loopback port, for the rq task backend's tests."""

import os
import shutil
import subprocess
import tempfile
import time

import redis

from tests.smtp import free_port

REDIS_SERVER = os.environ.get("REDIS_SERVER_PATH", "/usr/bin/redis-server")


def redis_server_path():
    return shutil.which(REDIS_SERVER) or (REDIS_SERVER if os.path.exists(REDIS_SERVER) else None)


class RedisServer:
    def __init__(self, executable):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = tempfile.mkdtemp(prefix="redis-tests-")
        # No persistence: nothing is written to disk, nothing survives the test session.
        self.process = subprocess.Popen(
            [
                executable, "--bind", "127.0.0.1", "--port", str(self.port),
                "--save", "", "--appendonly", "no", "--dir", self.directory,
                "--protected-mode", "yes", "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def flush(self):
        self.client.flushdb()

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)
