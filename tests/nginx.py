"""The shipped deploy/nginx.conf, started on loopback in front of test servers.

The server block is the shipped one with this run's addresses put in (its port, its upstream
servers, its cache and file folders), never a copy of it: what the tests show is what deploys.
"""

import getpass
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.smtp import free_port

UPSTREAM = "    server 127.0.0.1:8000;\n"


def require_nginx():
    if not shutil.which("nginx"):
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: CI must install it (apt-get install nginx).")
        pytest.skip("nginx is not installed (apt-get install nginx)")


def server_block(directory, port, upstreams):
    """deploy/nginx.conf listening on `port`, in front of `upstreams` ("127.0.0.1:8123", …)."""
    block = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()
    assert UPSTREAM in block, "deploy/nginx.conf's upstream is not where the tests look for it"
    servers = "".join(f"    server {address};\n" for address in upstreams)
    block = block.replace(UPSTREAM, servers)
    block = block.replace("/var/cache/nginx/backstory", str(directory / "cache"))
    block = block.replace("listen 80;", f"listen 127.0.0.1:{port};")
    return block.replace("/srv/backstory/", f"{directory}/")


class Nginx:
    """nginx in the foreground, its files in `directory`. `access_log` (a log_format string)
    writes one line a request to `directory/access.log`."""

    def __init__(self, directory, upstreams, access_log=None, port=None):
        self.directory = Path(directory)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = self.directory / "access.log"
        # Started as root, nginx's workers would run as www-data, which cannot read or write
        # the test's private temporary folders: keep them as the user running the tests.
        user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
        logging = (
            f"log_format tests '{access_log}';\n    access_log {self.access_log} tests;"
            if access_log
            else "access_log off;"
        )
        self.conf = self.directory / "nginx.conf"
        self.conf.write_text(
            f"""{user}worker_processes 1;
pid {self.directory}/nginx.pid;
error_log {self.directory}/error.log warn;
daemon off;
events {{ worker_connections 512; }}
http {{
    {logging}
    client_body_temp_path {self.directory}/body;
    proxy_temp_path {self.directory}/proxy;
    fastcgi_temp_path {self.directory}/fastcgi;
    uwsgi_temp_path {self.directory}/uwsgi;
    scgi_temp_path {self.directory}/scgi;
{server_block(self.directory, self.port, upstreams)}
}}
"""
        )

    def start(self, timeout=15):
        self.process = subprocess.Popen(
            ["nginx", "-c", str(self.conf), "-p", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                return self
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    error_log = (self.directory / "error.log").read_text()
                    pytest.fail(f"nginx did not start: {error_log}")
                time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=30)
