"""Real workers for the task tests: a migrated SQLite file per test, a queue of its own on the
broker, and a local Open-Meteo stub the worker's provider talks to.

Only processes these fixtures start are ever stopped or killed (by their own handle); the broker
and database services of the machine are left alone. Each test's queue is deleted afterwards, so
tests sharing one RabbitMQ neither see each other's messages nor leave queues behind.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support import provider_answers
from tests.support.processes import BIN_DIR, PROJECT_DIR, child_environment, run_manage

WORKER_FLAGS = (
    "--loglevel=WARNING",
    "--without-heartbeat",
    "--without-gossip",
    "--without-mingle",
)


class OpenMeteoStub:
    """The stub's behaviour, switched by tests: answer, reject (400), or hold the first request."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.mode = "answer"
        self.delay_first_seconds = 0.0
        self.requests = 0
        self.first_request = threading.Event()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.server.url_for(provider_answers.FORECAST_PATH)

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.requests += 1
            number = self.requests
        self.first_request.set()
        if number == 1 and self.delay_first_seconds:
            time.sleep(self.delay_first_seconds)
        if self.mode == "reject":
            return Response(provider_answers.error_bytes(), 400, content_type="application/json")
        count = provider_answers.locations_asked(request.args.get("latitude", ""))
        return Response(provider_answers.answer_bytes(count), content_type="application/json")


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """A threaded stub server: a held request must not block the next worker's retry."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def stub(httpserver: HTTPServer) -> OpenMeteoStub:
    fake = OpenMeteoStub(httpserver)
    httpserver.expect_request(provider_answers.FORECAST_PATH).respond_with_handler(fake.handle)
    return fake


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per session; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("template-db")
    env = child_environment(folder)
    migrated = run_manage(env, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return folder / "db.sqlite3"


class Project:
    """The environment of one test's processes, and ways to act in it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self._workers: list[subprocess.Popen[str]] = []

    def run(self, *args: str, timeout: float = 90) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "tests.integration.tasks.driver", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stderr + self.worker_output()
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self, *options: str) -> subprocess.Popen[str]:
        # A node name of its own: two workers named alike on one RabbitMQ (two test processes
        # under xdist) fight over the exclusive remote-control queue, and one of them dies.
        node = f"test-{uuid.uuid4().hex[:8]}@%h"
        worker = subprocess.Popen(
            [str(BIN_DIR / "celery"), "-A", "server_config.celery", "worker", "-n", node, *options],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._workers.append(worker)
        return worker

    def kill(self, worker: subprocess.Popen[str]) -> None:
        """SIGKILL one worker this test started: no warm shutdown, no acknowledgement."""
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    def stop_workers(self) -> None:
        for worker in self._workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGQUIT)  # cold shutdown: nothing is left to finish
        for worker in self._workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def worker_output(self) -> str:
        output = []
        for worker in self._workers:
            if worker.poll() is not None and worker.stdout is not None:
                output.append(worker.stdout.read())
        return "\n".join(output)


def project_environment(
    tmp_path: Path, migrated_database: Path, stub: OpenMeteoStub, **variables: str
) -> dict[str, str]:
    shutil.copy(migrated_database, tmp_path / "db.sqlite3")
    return child_environment(
        tmp_path,
        WEATHER_PROVIDERS="open-meteo",
        OPEN_METEO_FORECAST_URL=stub.url,
        WEATHER_TASK_MAX_RETRIES="2",
        WEATHER_TASK_RETRY_BACKOFF_SECONDS="1",
        **variables,
    )


@pytest.fixture
def rabbit_project(
    tmp_path: Path, migrated_database: Path, stub: OpenMeteoStub, broker_url: str
) -> Iterator[Project]:
    queue = f"test-tasks-{uuid.uuid4().hex[:12]}"
    project = Project(
        project_environment(
            tmp_path,
            migrated_database,
            stub,
            CELERY_BROKER_URL=broker_url,
            CELERY_TASK_DEFAULT_QUEUE=queue,
        )
    )
    try:
        yield project
    finally:
        project.stop_workers()
        _delete_queue(broker_url, queue)


@pytest.fixture
def embedded_project(
    tmp_path: Path, migrated_database: Path, stub: OpenMeteoStub
) -> Iterator[Project]:
    project = Project(
        project_environment(
            tmp_path, migrated_database, stub, CELERY_EMBEDDED_BROKER_DIR=str(tmp_path / "broker")
        )
    )
    try:
        yield project
    finally:
        project.stop_workers()


def _delete_queue(broker_url: str, queue: str) -> None:
    from kombu import Connection

    with contextlib.suppress(Exception), Connection(broker_url, connect_timeout=3) as connection:
        connection.default_channel.queue_delete(queue)  # type: ignore[attr-defined]
