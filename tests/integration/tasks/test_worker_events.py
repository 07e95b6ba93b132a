"""A change made by the Celery worker reaches a live event stream served by the web process.

Two processes and one database, as a deployment runs them: the ASGI web server (gunicorn with its
uvicorn worker, ``tests/integration/test_event_stream.py``'s server and stream reader) serves
``GET /api/v1/events/?location=…`` and queues the refresh that ``POST
/api/v1/locations/{id}/refresh/`` asks for; a real worker (this package's fixtures) runs it
against the stub Open-Meteo and commits the new weather with its ``weather.refreshed`` event,
which the stream must deliver within the contract's bound of that commit.

On the embedded defaults (SQLite, whose streams poll the outbox, and the embedded filesystem
broker: ``make run``) and on PostgreSQL (``LISTEN``/``NOTIFY``) with RabbitMQ, as the compose files
pair them.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.integration.tasks.conftest import WORKER_FLAGS, OpenMeteoStub, Project
from tests.support.event_streams import (
    KEEPALIVE_SECONDS,
    Block,
    Deployment,
    Stream,
    asgi_server,
    scratch_postgres,
)
from tests.support.processes import run_manage

pytestmark = pytest.mark.timeout(120)

#: The contract's delivery bound (§4 "Live events"), from the commit's instant (`refreshed_at`).
DELIVERY_SECONDS = 2.0
TASK_SECONDS = 30.0


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A database of its own, dropped after the processes on it (fixtures end in reverse)."""
    with scratch_postgres() as database_url:
        yield database_url


POSTGRESQL = pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.broker])


@pytest.fixture(params=["embedded", POSTGRESQL])
def project(request: pytest.FixtureRequest) -> Project:
    """The worker's and the web server's environment: one database, one broker."""
    if request.param == "embedded":
        project: Project = request.getfixturevalue("embedded_project")
    else:
        database_url = request.getfixturevalue("postgres_database")
        project = request.getfixturevalue("rabbit_project")
        project.env["DATABASE_URL"] = database_url
        migrated = run_manage(project.env, "migrate", "--noinput", timeout=120)
        assert migrated.returncode == 0, migrated.stderr
    project.env["EVENT_STREAM_KEEPALIVE_SECONDS"] = str(KEEPALIVE_SECONDS)
    return project


@pytest.fixture
def deployment(project: Project, tmp_path: Path) -> Iterator[Deployment]:
    """A worker and the web server, both on `project`'s database and broker."""
    project.start_worker("--pool=solo", *WORKER_FLAGS)
    with asgi_server(project.env, tmp_path / "server.log") as (base_url, server):
        yield Deployment(base_url, project.env, server)


def get_json(base_url: str, path: str, token: str) -> tuple[int, dict[str, Any]]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def first_event(stream: Stream, within: float) -> tuple[Block, float]:
    """The stream's next event and the wall-clock instant it arrived (keep-alives skipped)."""
    (event,) = stream.events(1, within=within)
    return event, time.time()


def test_a_refresh_run_by_the_worker_reaches_a_stream_served_by_the_web_process(
    deployment: Deployment, project: Project, stub: OpenMeteoStub
) -> None:
    _, token = deployment.change("account", f"watcher-{uuid.uuid4().hex[:8]}").split()
    location_id = deployment.change("create", "Tromsø")
    stream = deployment.stream(f"?location={location_id}")
    with contextlib.closing(stream), ThreadPoolExecutor(max_workers=1) as reader:
        arriving = reader.submit(first_event, stream, TASK_SECONDS + DELIVERY_SECONDS)

        status, queued = deployment.post(f"/api/v1/locations/{location_id}/refresh/", token)
        assert status == 202, queued
        task_path = urlsplit(queued["status_url"]).path
        assert task_path == f"/api/v1/tasks/{queued['task_id']}/"
        states: list[str] = []
        deadline = time.monotonic() + TASK_SECONDS
        while not states or states[-1] not in ("SUCCESS", "FAILURE"):
            assert time.monotonic() < deadline, f"{states} after {TASK_SECONDS} s\n" + (
                project.worker_output()
            )
            code, task = get_json(deployment.base_url, task_path, token)
            assert code == 200, task
            if not states or states[-1] != task["state"]:
                states.append(task["state"])
            time.sleep(0.1)
        assert states[-1] == "SUCCESS", task
        assert task["result"] == {
            "location_id": location_id,
            "provider": "open-meteo",
            "observations_stored": 1,
        }
        assert stub.requests == 1  # the worker's provider asked the stub: the web process did not

        event, arrived = arriving.result(timeout=DELIVERY_SECONDS + 10)

    assert event.event == "weather.refreshed"
    assert event.data["location_ids"] == [location_id]
    assert event.data["provider"] == "open-meteo"
    committed = datetime.fromisoformat(event.data["refreshed_at"]).timestamp()
    assert arrived - committed < DELIVERY_SECONDS, f"{arrived - committed:.2f} s after the commit"
