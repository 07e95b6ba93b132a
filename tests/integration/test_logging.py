"""Logs are one JSON object per line with LOG_FORMAT=json, and carry the request's id."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

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
