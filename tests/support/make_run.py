"""`make run` (and `make demo`) driven as a newcomer's terminal drives it: the process and its
log, the processes it started (read from /proc), and stopping it with nothing left behind, for
`tests/integration/test_make_run.py` and `tests/integration/test_make_demo.py`."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

STOP_DEADLINE_SECONDS = 15.0


class MakeRun:
    def __init__(self, process: subprocess.Popen[str], port: int, log: Path, env: dict[str, str]):
        self.process, self.port, self.log, self.env = process, port, log, env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **headers: str) -> int:
        request = urllib.request.Request(self.base_url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def wait_until_serving(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if self.get("/health/live") == 200 and "ready." in self.log.read_text():
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise AssertionError(f"make run did not serve within {timeout} s:\n{self.log.read_text()}")

    def wait_for_log(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log.read_text():
            assert time.monotonic() < deadline, f"{text!r} never logged:\n{self.log.read_text()}"
            time.sleep(0.25)


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, grandchildren…), read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stop_and_check_nothing_is_left(run: MakeRun, send: object) -> float:
    started = descendants(run.process.pid)
    assert len(started) >= 6, "expected the supervisor, web (+ reloader), worker (+ pool) and beat"
    stopped_at = time.monotonic()
    assert callable(send)
    send()
    deadline = stopped_at + STOP_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in started) and not listening(run.port):
            break
        time.sleep(0.2)
    left = sorted(pid for pid in started if alive(pid))
    assert not left, f"still running {STOP_DEADLINE_SECONDS} s after the signal: {left}"
    assert not listening(run.port)
    run.process.wait(timeout=5)
    return time.monotonic() - stopped_at
