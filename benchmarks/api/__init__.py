"""Requests per second of the API's hottest reads under gunicorn, against the framework's floor.

Creates a PostgreSQL database (`BENCH_DATABASE_URL`'s server, default the local one), seeds 50
locations with current weather, starts gunicorn (2 sync workers, loopback only) and measures, in
the same run: `GET /floor/` (a plain Django view returning constant JSON: the most any endpoint of
this stack can do), `GET /api/v1/locations/` (first page: 50 locations) and
`GET /api/v1/locations/{id}/weather/current/`. Prints each figure and its ratio to the floor;
the target is at least 60%. The database is dropped afterwards.

The load comes from a few client processes on the same machine, so absolute numbers depend on the
machine; the ratios are the figures to compare.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REQUESTS = 3000
CLIENTS = 4
WORKERS = 2
TARGET = 0.60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(SERVER_URL)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def _hammer(port: int, path: str, count: int) -> int:
    """`count` sequential GETs (gunicorn's sync workers close each connection); the 200s."""
    ok = 0
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        response.read()
        ok += response.status == 200
        connection.close()
    return ok


def _rate(port: int, path: str) -> float:
    _hammer(port, path, 50)  # warm up every worker
    per_client = REQUESTS // CLIENTS
    with ProcessPoolExecutor(CLIENTS) as pool:
        started = time.perf_counter()
        answered = sum(
            pool.map(_hammer, [port] * CLIENTS, [path] * CLIENTS, [per_client] * CLIENTS)
        )
        elapsed = time.perf_counter() - started
    if answered != per_client * CLIENTS:
        raise RuntimeError(f"{path}: only {answered} of {per_client * CLIENTS} requests were 200")
    return answered / elapsed


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in 30 s")


def main() -> None:
    name = f"bench_api_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.api.settings",
        "DATABASE_URL": _database_url(name),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_USER": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("USE_POSTGRES", None)
    _admin(f'CREATE DATABASE "{name}"')
    server: subprocess.Popen[bytes] | None = None
    try:
        seeded = subprocess.run(
            [sys.executable, "-m", "benchmarks.api.seed"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        location_id = seeded.stdout.strip().splitlines()[-1]
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "server_config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
        )
        _wait_until_up(port, server)
        floor = _rate(port, "/floor/")
        figures = {
            "GET /floor/ (constant JSON)": floor,
            "GET /api/v1/locations/ (50 per page)": _rate(port, "/api/v1/locations/"),
            "GET …/weather/current/": _rate(
                port, f"/api/v1/locations/{location_id}/weather/current/"
            ),
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"gunicorn, {WORKERS} sync workers; {CLIENTS} clients, {REQUESTS} requests a figure:")
    for label, rate in figures.items():
        print(f"  {label:<40} {rate:8.0f} req/s  {rate / floor:6.0%} of the floor")
    worst = min(list(figures.values())[1:]) / floor
    verdict = "meets" if worst >= TARGET else "misses"
    print(f"  slowest API endpoint at {worst:.0%} of the floor: {verdict} the {TARGET:.0%} target")
