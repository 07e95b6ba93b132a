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
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.make_run import (
    STOP_DEADLINE_SECONDS,
    MakeRun,
    descendants,
    stop_and_check_nothing_is_left,
)
from tests.support.processes import PROJECT_DIR, child_environment, free_port, run_manage

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CONSOLE_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


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
