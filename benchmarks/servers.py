"""The web server a benchmark starts in a process of its own: a free port, and the wait until it
listens (or the error that it died or never came up), shared by `api` and `events`."""

from __future__ import annotations

import socket
import subprocess
import time

START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(port: int, server: subprocess.Popen[bytes], name: str = "the server") -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited during start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{name} did not start in {START_SECONDS} s")
