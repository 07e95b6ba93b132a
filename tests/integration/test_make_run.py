"""`make run` as a newcomer meets it (CONTRACT.md §1): it serves, its log is readable (console) or
all JSON (`LOG_FORMAT=json`), and SIGINT to its process group (Ctrl-C) or SIGTERM to `make` alone
(an IDE's stop button, `timeout`, a process manager) leaves nothing of it running within 15 s.

Each test runs the real Makefile target in the real checkout, on its own port, database, broker
folder and development `.env` (written by the Makefile's own rule), so the checkout is untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import PROJECT_DIR, child_environment, free_port, run_manage

STOP_DEADLINE_SECONDS = 15.0
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CONSOLE_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


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
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def make_run(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[MakeRun]:
    log_format = getattr(request, "param", "console")
    port = free_port()
    dotenv = tmp_path / "dev.env"
    env = child_environment(
        tmp_path,
        DJANGO_ENV_FILE=str(dotenv),  # the development .env the Makefile writes, as in a checkout
        CELERY_EMBEDDED_BROKER_DIR=str(tmp_path / "broker"),
        LOG_FORMAT=log_format,
        LOG_LEVEL="INFO",
    )
    del env["DJANGO_SECRET_KEY"]  # the checkout's .env provides one, as after `make install`
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}", f"DOTENV={dotenv}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a process group of its own, as a terminal gives it
        )
    run = MakeRun(process, port, log, env)
    try:
        yield run
    finally:
        for pid in descendants(process.pid) | {process.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


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


def test_sigterm_to_make_alone_stops_every_process_it_started(make_run: MakeRun) -> None:
    make_run.wait_until_serving()

    took = stop_and_check_nothing_is_left(
        make_run, lambda: os.kill(make_run.process.pid, signal.SIGTERM)
    )

    assert took < STOP_DEADLINE_SECONDS
    assert "SIGTERM received" in make_run.log.read_text()


def test_ctrl_c_stops_everything_and_the_console_log_reads_cleanly(make_run: MakeRun) -> None:
    make_run.wait_until_serving()
    assert make_run.get("/api/v1/locations/", **{"X-Request-ID": "newcomer-1"}) == 200
    assert make_run.get("/api/v1/refresh/") == 401
    queued = run_manage(make_run.env, "refresh_weather")
    assert queued.returncode == 0, queued.stderr
    make_run.wait_for_log("succeeded")

    stop_and_check_nothing_is_left(make_run, lambda: os.killpg(make_run.process.pid, signal.SIGINT))

    lines = make_run.log.read_text().splitlines()
    served = [line for line in lines if "django.server" in line]
    assert any("newcomer-1" in line and "GET /api/v1/locations/" in line for line in served)
    # One line per request, whatever its status: no second `django.request` line for the 401.
    assert len([line for line in lines if "/api/v1/refresh/" in line]) == 1
    assert not [line for line in lines if "Generated new GUID" in line or "GUID" in line]
    assert not [line for line in lines if "No hostname was supplied" in line]
    assert not [line for line in lines if len(CONSOLE_TIMESTAMP.findall(line)) > 1]
    assert not [line for line in lines if "[None]" in line]
    processes = {line.split("|", 1)[0].strip() for line in lines if "|" in line}
    assert {"web", "worker", "beat", "supervisor"} <= processes


@pytest.mark.parametrize("make_run", ["json"], indirect=True)
def test_with_log_format_json_every_line_of_every_process_is_json(make_run: MakeRun) -> None:
    make_run.wait_until_serving()
    assert make_run.get("/api/v1/locations/", **{"X-Request-ID": "json-1"}) == 200
    assert make_run.get("/api/v1/nowhere/") == 404
    queued = run_manage(make_run.env, "refresh_weather")
    assert queued.returncode == 0, queued.stderr
    make_run.wait_for_log("succeeded")

    stop_and_check_nothing_is_left(make_run, lambda: os.kill(make_run.process.pid, signal.SIGTERM))

    text = make_run.log.read_text()
    # make's own lines (the commands it echoes, its exit status) precede and follow the run.
    supervised = text[text.index("server_config.supervisor") :].splitlines()[1:]
    records = []
    for line in supervised:
        if line.startswith("make: "):
            continue
        record = json.loads(line)  # every line, or this raises
        assert isinstance(record, dict), line
        records.append(record)
    for record in records:
        assert ISO_UTC.match(record["time"]), record
        assert {"time", "level", "logger", "message", "process"} <= record.keys(), record
        for value in record.values():
            assert not (isinstance(value, str) and re.match(r"^<\w[\w.]* .*>$", value)), record
    assert {r["process"] for r in records} >= {"web", "worker", "beat", "supervisor"}
    request = [r for r in records if r.get("request_id") == "json-1"]
    assert request
    assert request[0]["logger"] == "django.server"
    assert "request" not in request[0]
    assert any(
        "weather.refresh_all" in r["message"] and "succeeded" in r["message"] for r in records
    )
