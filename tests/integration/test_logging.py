"""Logs are one JSON object per line with LOG_FORMAT=json, and carry the request's id."""

from __future__ import annotations

import json
import logging
import re
import socket
import urllib.request
from pathlib import Path

from django.test import RequestFactory

from server_config.log_format import ConsoleFormatter, UtcJsonFormatter
from tests.support.processes import child_environment, free_port, gunicorn_server


def test_json_log_lines_carry_the_request_id(tmp_path: Path) -> None:
    log_file = tmp_path / "server.log"
    env = child_environment(
        tmp_path,
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
        CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{free_port()}//",  # a failing check logs
    )
    with gunicorn_server(env, log_file=log_file) as base_url:
        request = urllib.request.Request(
            f"{base_url}/health/ready", headers={"X-Request-ID": "req-4242"}
        )
        try:
            urllib.request.urlopen(request, timeout=15)
        except urllib.error.HTTPError as error:
            echoed = error.headers["X-Request-ID"]

    records = [
        json.loads(line) for line in log_file.read_text().splitlines() if line.startswith("{")
    ]
    mine = [record for record in records if record.get("request_id") == "req-4242"]
    assert echoed == "req-4242"
    assert any(r["logger"] == "adapters.health.views" and r["level"] == "WARNING" for r in mine)
    assert all({"time", "level", "logger", "message"} <= record.keys() for record in records)


# The formatters themselves, in process: what a line holds whatever logger wrote it.


def a_record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.created = 1_764_583_200.25  # 2025-12-01T10:00:00.250Z
    record.__dict__.update(extra)
    return record


def test_json_time_is_iso_8601_utc_with_z_and_no_field_is_an_object_repr() -> None:
    with socket.socket() as connection:
        request = RequestFactory().get("/api/v1/locations/")
        line = UtcJsonFormatter().format(
            a_record(request=request, socket=connection, status_code=200, correlation_id="r-1")
        )

    record = json.loads(line)
    assert record["time"] == "2025-12-01T10:00:00.250Z"
    assert (record["level"], record["logger"], record["message"]) == (
        "INFO",
        "django.server",
        "GET / 200",
    )
    assert record["request_id"] == "r-1"
    assert (record["method"], record["path"], record["status_code"]) == (
        "GET",
        "/api/v1/locations/",
        200,
    )
    assert "request" not in record
    assert "socket" not in record
    assert "task_id" not in record, "task fields appear only inside a task"


def test_json_lines_inside_a_task_name_the_task() -> None:
    line = UtcJsonFormatter().format(a_record(celery_current_id="t-1", celery_parent_id=None))

    record = json.loads(line)
    assert record["task_id"] == "t-1"
    assert "parent_task_id" not in record


def test_console_line_has_one_timestamp_and_a_dash_outside_any_request() -> None:
    line = ConsoleFormatter().format(a_record(correlation_id=None))

    assert line.endswith(" INFO    [-] django.server: GET / 200")
    assert len(re.findall(r"\d\d:\d\d:\d\d", line)) == 1
