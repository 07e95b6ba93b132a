"""Open event streams on one ASGI web process, and how soon each hears of a commit.

For each database in turn (the embedded default, SQLite, whose wake-ups poll; then PostgreSQL,
whose wake-ups ``LISTEN``, on a scratch database of `BENCH_POSTGRES_URL`'s server): migrates,
starts the web server as the image does (gunicorn, one uvicorn worker, ``gunicorn.conf.py``),
opens `BENCH_EVENT_STREAMS` streams (1,000) from one asyncio client process, waits until each has
its ``retry:`` hint, then has another process (``child.py``, as a worker would) register
`CHANGES` locations, one a second. Every stream must receive every ``location.created``; the
delay of each (arrival minus the writer's commit instant, both on this machine's clock) gives
the p50/p95/max delivery, against the contract's target (p95 < 2 s). The worker's memory is read
before the streams open and once they are all open: the difference per stream is printed.

The client shares the machine's cores with the server and the writer, so delays include the
client's own time to read 1,000 sockets: an upper bound of the server's.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.scratch_database import scratch_postgres
from benchmarks.servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
STREAMS = int(os.environ.get("BENCH_EVENT_STREAMS", "1000"))
CHANGES = int(os.environ.get("BENCH_EVENT_CHANGES", "10"))
TARGET_P95_SECONDS = 2.0
OPEN_BATCH = 100


@contextlib.contextmanager
def _sqlite() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix="bench-events-")
    try:
        yield f"sqlite:///{folder}/db.sqlite3"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _more_files() -> None:
    """2,000 sockets or so on each side: up to the hard limit of open files."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def _rss_kib(pid: int) -> int:
    return _status(pid, "VmRSS")


def _worker_of(master: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


async def _open_stream(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
    writer.write(
        b"GET /api/v1/events/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        raise RuntimeError(f"a stream was refused: {status!r}")
    while (await reader.readline()) not in (b"\r\n", b""):
        pass  # the headers
    while b"retry:" not in await reader.readline():
        pass
    return reader, writer


async def _listen(reader: asyncio.StreamReader, expected: int, arrivals: dict[str, float]) -> None:
    """Record when each ``location.created`` arrives, by location id, until `expected` did."""
    marker = b'data: {"id":"'
    while len(arrivals) < expected:
        line = await reader.readline()
        if not line:
            raise RuntimeError("a stream ended early")
        at = line.find(marker)
        if at >= 0:
            start = at + len(marker)
            arrivals[line[start : start + 36].decode()] = time.time()


async def _measure(port: int, env: dict[str, str], worker: int) -> dict[str, float]:
    before = _rss_kib(worker)
    streams = []
    for first in range(0, STREAMS, OPEN_BATCH):
        batch = min(OPEN_BATCH, STREAMS - first)
        streams += await asyncio.gather(*(_open_stream(port) for _ in range(batch)))
    await asyncio.sleep(2)
    opened = _rss_kib(worker)
    threads = _status(worker, "Threads")
    arrivals: list[dict[str, float]] = [{} for _ in streams]
    listeners = [
        asyncio.create_task(_listen(reader, CHANGES, seen))
        for (reader, _), seen in zip(streams, arrivals, strict=True)
    ]
    writer = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.events.child", str(CHANGES), "1",
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    output, _ = await writer.communicate()
    await asyncio.wait_for(asyncio.gather(*listeners), timeout=60)
    for _, stream_writer in streams:
        stream_writer.close()
    committed = {
        location_id: float(instant)
        for location_id, instant in (line.split() for line in output.decode().splitlines())
    }
    delays = sorted(
        seen[location_id] - instant
        for seen in arrivals
        for location_id, instant in committed.items()
    )
    return {
        "p50": statistics.median(delays),
        "p95": delays[int(len(delays) * 0.95) - 1],
        "max": delays[-1],
        "deliveries": len(delays),
        "kib_per_stream": (opened - before) / STREAMS,
        "worker_mib": opened / 1024,
        "threads": threads,
    }


def _run(label: str, database_url: str) -> dict[str, float]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "server_config.settings",
        "DJANGO_ENV_FILE": "",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_ANON": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("USE_POSTGRES", None)
    with tempfile.TemporaryDirectory() as state:
        env["CELERY_EMBEDDED_BROKER_DIR"] = f"{state}/broker"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "server_config.asgi",
                "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            ],
            cwd=ROOT, env=env, preexec_fn=_more_files,
        )  # fmt: skip
        try:
            worker = _worker_of(server)
            wait_until_up(port, server)
            print(f"  {label}: {STREAMS} streams open, {CHANGES} commits by another process…")
            return asyncio.run(_measure(port, env, worker))
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    _more_files()
    figures = {}
    with _sqlite() as database_url:
        figures["SQLite (embedded default, polled)"] = _run("SQLite", database_url)
    with scratch_postgres(f"bench_events_{os.getpid()}") as database_url:
        figures["PostgreSQL (LISTEN/NOTIFY)"] = _run("PostgreSQL", database_url)
    print(f"{STREAMS} streams on one web process (gunicorn + 1 uvicorn worker), {CHANGES} commits:")
    for label, figure in figures.items():
        verdict = "meets" if figure["p95"] < TARGET_P95_SECONDS else "misses"
        print(
            f"  {label:<36} delivery p50 {figure['p50']:.2f} s, p95 {figure['p95']:.2f} s "
            f"(target < {TARGET_P95_SECONDS:.0f} s: {verdict}), max {figure['max']:.2f} s, "
            f"{figure['deliveries']:.0f} deliveries; "
            f"{figure['kib_per_stream']:.0f} KiB per stream "
            f"(worker {figure['worker_mib']:.0f} MiB, {figure['threads']:.0f} threads)"
        )
