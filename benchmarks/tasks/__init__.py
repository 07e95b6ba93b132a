"""Tasks through a real broker: RabbitMQ, one worker with 2 processes, SQLite results.

1. Throughput of refresh tasks whose provider answers at once (a local Open-Meteo stub without
   delay: the cost measured is Celery's, the database's and the parsing): tasks per second.
2. End to end, refresh-all of 1,000 locations against the stub answering in 100 ms per request,
   the refresh pipeline's Celery driver: queue → `PlanRefresh` → one ``weather.refresh_batch``
   per provider-sized batch (`RefreshBatch`, each batch stored and its alert rules evaluated in
   its own worker task) → the outcomes gathered by `summarize`. Target: under 10 s.

Needs ``TEST_BROKER_URL`` (or ``BENCH_BROKER_URL``), e.g. amqp://guest:guest@127.0.0.1:5672//;
without it the benchmark says so and does nothing. Everything stays on loopback: its own queue
(deleted afterwards), a temporary database, a stub server on 127.0.0.1; bounded by timeouts.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support import provider_answers
from tests.support.processes import BIN_DIR, PROJECT_DIR, child_environment, run_manage

THROUGHPUT_TASKS = 300
LOCATIONS = 1_000
STUB_LATENCY_SECONDS = 0.1
TARGET_SECONDS = 10.0


class _Stub:
    def __init__(self) -> None:
        self.latency = 0.0

    def handle(self, request: Request) -> Response:
        count = provider_answers.locations_asked(request.args.get("latitude", ""))
        body = provider_answers.answer_bytes(count)
        if self.latency:
            time.sleep(self.latency)
        return Response(body, content_type="application/json")


def _client(env: dict[str, str], action: str, count: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.tasks.child", action, str(count)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _run(broker_url: str, stub: _Stub, server: HTTPServer, folder: Path) -> None:
    queue = f"bench-tasks-{uuid.uuid4().hex[:12]}"
    env = child_environment(
        folder,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        WEATHER_PROVIDERS="open-meteo",
        OPEN_METEO_FORECAST_URL=server.url_for(provider_answers.FORECAST_PATH),
        LOG_LEVEL="ERROR",
    )
    migrated = run_manage(env, "migrate", "--noinput", timeout=300)
    if migrated.returncode != 0:
        raise RuntimeError(migrated.stderr)
    worker = subprocess.Popen(
        [
            str(BIN_DIR / "celery"),
            *("-A", "server_config.celery", "worker", "--pool=prefork", "--concurrency=2"),
            *("--loglevel=ERROR", "--without-heartbeat", "--without-gossip", "--without-mingle"),
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        stub.latency = 0.0
        figures = _client(env, "throughput", THROUGHPUT_TASKS)
        rate = figures["tasks"] / figures["seconds"]  # type: ignore[operator]
        print(
            f"refresh tasks, instant provider, 1 worker x 2 processes: "
            f"{figures['succeeded']}/{figures['tasks']} succeeded in "
            f"{figures['seconds']:.2f} s = {rate:.1f} tasks/s"
        )
        stub.latency = STUB_LATENCY_SECONDS
        figures = _client(env, "refresh-all", LOCATIONS)
        seconds = float(figures["seconds"])  # type: ignore[arg-type]
        verdict = "OK" if seconds < TARGET_SECONDS and figures["succeeded"] == 1 else "MISSED"
        print(
            f"refresh-all of {LOCATIONS} locations, stub {STUB_LATENCY_SECONDS * 1000:.0f} ms: "
            f"{seconds:.2f} s end to end (target < {TARGET_SECONDS:.0f} s: {verdict}); "
            f"result {figures['result']}"
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        _delete_queue(broker_url, queue)


def _delete_queue(broker_url: str, queue: str) -> None:
    from kombu import Connection

    try:
        with Connection(broker_url, connect_timeout=3) as connection:
            connection.default_channel.queue_delete(queue)  # type: ignore[attr-defined]
    except Exception as error:
        print(f"(could not delete queue {queue}: {error})")


def main() -> None:
    broker_url = os.environ.get("BENCH_BROKER_URL") or os.environ.get("TEST_BROKER_URL")
    if not broker_url:
        print("skipped: set TEST_BROKER_URL (or BENCH_BROKER_URL) to a RabbitMQ URL")
        return
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    provider_answers.answer_bytes(100)  # serialised once, so the stub costs only its latency
    stub = _Stub()
    server = HTTPServer(threaded=True)
    server.expect_request(provider_answers.FORECAST_PATH).respond_with_handler(stub.handle)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-tasks-") as folder:
            _run(broker_url, stub, server, Path(folder))
    finally:
        server.clear()
        server.stop()
