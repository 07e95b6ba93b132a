"""Tasks through a real broker: RabbitMQ, one worker with 2 processes, a scratch PostgreSQL
database (storage and results, as in production).

1. Throughput of refresh tasks whose provider answers at once (a local Open-Meteo stub without
   delay: the cost measured is Celery's, the database's and the parsing): tasks per second.
2. End to end, refresh-all of 1,000 and then of 10,000 locations, in the same run, against the
   stub answering in the real Open-Meteo format (16 days, 384 hours a location) in 100 ms per
   request, the refresh pipeline's Celery driver: queue → `PlanRefresh` → one
   ``weather.refresh_batch`` per provider-sized batch (`RefreshBatch`, each batch stored and its
   alert rules evaluated in its own worker task) → the outcomes gathered by `summarize`.
   Targets: 1,000 under 10 s; 10,000 under 60 s and under 11 times the 1,000's time; the
   worker's peak memory (VmHWM of its pool processes, which live through both runs) printed
   after each, and flat: what a process holds is the batch it parses, whatever the number of
   locations (target: the peak after 10,000 within 25% of the peak after 1,000).

The rate budget is off here (``OPEN_METEO_CALLS_PER_*=0``): the stub is no Open-Meteo, and the
free tier's 600 calls a minute would spread 10,000 locations (32,000 calls) over an hour.

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

from benchmarks.scratch_database import django_on_scratch_postgres
from tests.support import provider_answers
from tests.support.processes import BIN_DIR, PROJECT_DIR, child_environment

THROUGHPUT_TASKS = 300
SMALL, LARGE = 1_000, 10_000
STUB_LATENCY_SECONDS = 0.1
TARGET_SECONDS = 10.0
TARGET_LARGE_SECONDS = 60.0
TARGET_GROWTH = 11.0
TARGET_MEMORY_GROWTH = 1.25
BUDGET_OFF = {
    "OPEN_METEO_CALLS_PER_MINUTE": "0",
    "OPEN_METEO_CALLS_PER_HOUR": "0",
    "OPEN_METEO_CALLS_PER_DAY": "0",
}


class _Stub:
    def __init__(self) -> None:
        self.latency = 0.0

    def handle(self, request: Request) -> Response:
        count = provider_answers.locations_asked(request.args.get("latitude", ""))
        body = provider_answers.answer_bytes(count)
        if self.latency:
            time.sleep(self.latency)
        return Response(body, content_type="application/json")


def _client(env: dict[str, str], action: str, count: int = 0) -> dict[str, object]:
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


def _run(broker_url: str, database_url: str, stub: _Stub, server: HTTPServer, folder: Path) -> None:
    queue = f"bench-tasks-{uuid.uuid4().hex[:12]}"
    env = child_environment(
        folder,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        WEATHER_PROVIDERS="open-meteo",
        OPEN_METEO_FORECAST_URL=server.url_for(provider_answers.FORECAST_PATH),
        LOG_LEVEL="ERROR",
        DATABASE_URL=database_url,  # migrated by django_on_scratch_postgres
        **BUDGET_OFF,
    )
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
        print(
            "rate budget: off for this run (OPEN_METEO_CALLS_PER_MINUTE/_HOUR/_DAY=0; the "
            "default, Open-Meteo's free tier, would spread these calls over hours)"
        )
        runs = {}
        for tracked in (SMALL, LARGE):
            added = _client(env, "add-locations", tracked - (SMALL if tracked == LARGE else 0))
            everywhere = int(added["tracked"])  # type: ignore[call-overload]
            figures = _client(env, "refresh-all")
            runs[tracked] = (float(figures["seconds"]), _peak_rss(worker.pid))  # type: ignore[arg-type]
            result = figures["result"]
            refreshed = result.get("locations_refreshed") if isinstance(result, dict) else result
            seconds, (main_peak, pool_peak) = runs[tracked]
            target = TARGET_SECONDS if tracked == SMALL else TARGET_LARGE_SECONDS
            # `everywhere`: these and the one location of the throughput run.
            verdict = "OK" if seconds < target and refreshed == everywhere else "MISSED"
            print(
                f"refresh-all of {tracked:,} locations, stub {STUB_LATENCY_SECONDS * 1000:.0f} ms: "
                f"{seconds:.2f} s end to end (target < {target:.0f} s: {verdict}); "
                f"{refreshed} refreshed in {figures['succeeded']}/1 task"
            )
            print(
                f"  worker peak RSS so far: pool processes {pool_peak / 1024:.0f} MiB "
                f"(largest), main process {main_peak / 1024:.0f} MiB"
            )
        (small_s, (_, small_peak)), (large_s, (_, large_peak)) = runs[SMALL], runs[LARGE]
        growth = large_s / small_s
        print(
            f"10,000 / 1,000: {large_s:.2f} s / {small_s:.2f} s = {growth:.2f}x "
            f"(target < {TARGET_GROWTH:g}x: {'OK' if growth < TARGET_GROWTH else 'MISSED'})"
        )
        memory = large_peak / small_peak
        print(
            f"pool peak RSS after 10,000 / after 1,000: {large_peak / 1024:.0f} / "
            f"{small_peak / 1024:.0f} MiB = {memory:.2f} (target <= {TARGET_MEMORY_GROWTH:g}: "
            f"{'OK' if memory <= TARGET_MEMORY_GROWTH else 'MISSED'})"
        )
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        _delete_queue(broker_url, queue)


def _peak_rss(worker_pid: int) -> tuple[int, int]:
    """The high-water mark of resident memory (VmHWM, KiB) of the worker's main process and of
    the largest of its pool processes, since each started (Linux's /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == worker_pid:  # the parent's pid, after the state
            children.append(int(stat.parent.name))
    peaks = [_vm_hwm(pid) for pid in children]
    return _vm_hwm(worker_pid), max(peaks, default=0)


def _vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


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
        with (
            tempfile.TemporaryDirectory(prefix="bench-tasks-") as folder,
            django_on_scratch_postgres("f_brain_bench_tasks") as database_url,
        ):
            _run(broker_url, database_url, stub, server, Path(folder))
    finally:
        server.clear()
        server.stop()
