"""Whether work claimed by a process of this host is known to be left by a dead process."""

import os
import signal
import socket
import subprocess
import sys

from ops.worker import claimant, claimant_gone


def test_this_process_is_not_gone():
    assert not claimant_gone(claimant())


def test_a_process_that_ended_and_was_reaped_is_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert claimant_gone(f"{socket.gethostname()}:{child.pid}")


def test_a_killed_process_nobody_reaped_yet_is_gone():
    # A zombie still answers signal 0: RQ's work horse, killed with its worker, stays one where
    # nothing reaps orphans.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        os.kill(child.pid, signal.SIGKILL)
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # dead, and still unreaped
        assert claimant_gone(f"{socket.gethostname()}:{child.pid}")
    finally:
        child.wait()


def test_another_hosts_process_or_a_malformed_claim_is_not_known_to_be_gone():
    assert not claimant_gone(f"not-{socket.gethostname()}:1")
    assert not claimant_gone("")
    assert not claimant_gone(f"{socket.gethostname()}:abc")
