"""Requests per second of the API's hottest reads, against the framework's floor, under the old
WSGI set-up and the ASGI server side by side.

Creates a PostgreSQL database (`BENCH_DATABASE_URL`'s server, default the local one), seeds 50
locations with current weather, then for each server in turn (loopback only, 2 workers each):

- WSGI, as the image served until issue 14: gunicorn's threaded workers (`--threads 4`) over
  `server_config.wsgi`;
- ASGI, as it serves now: gunicorn with the project's uvicorn workers (`gunicorn.conf.py`) over
  `server_config.asgi`, the sync views in Django's thread pool;

measures `GET /floor/` (a plain Django view returning constant JSON: the most any endpoint of
this stack can do on that server), `GET /api/v1/locations/` (first page: 50 locations) and
`GET /api/v1/locations/{id}/weather/current/`. Prints each figure, its ratio to the floor of the
same server (the target: at least 60%), and the ASGI figures against the WSGI ones (the cost of
the switch). The database is dropped afterwards. `BENCH_API_REQUESTS` sets the requests per
figure (3,000).

The load comes from a few client processes on the same machine, so absolute numbers depend on the
machine; the ratios are the figures to compare.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.servers import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
SERVER_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REQUESTS = int(os.environ.get("BENCH_API_REQUESTS", "3000"))
CLIENTS = 4
WORKERS = 2
TARGET = 0.60
WSGI = "WSGI: gunicorn, threaded workers (the old set-up)"
SERVERS = {
    WSGI: ["--worker-class", "gthread", "--threads", "4", "server_config.wsgi:application"],
    "ASGI: gunicorn + uvicorn workers (gunicorn.conf.py)": ["server_config.asgi:application"],
}


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
    figures: dict[str, dict[str, float]] = {}
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
        for setup, argv in SERVERS.items():
            port = free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    *argv,
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
            )
            wait_until_up(port, server, "gunicorn")
            figures[setup] = {
                "GET /floor/ (constant JSON)": _rate(port, "/floor/"),
                "GET /api/v1/locations/ (50 per page)": _rate(port, "/api/v1/locations/"),
                "GET …/weather/current/": _rate(
                    port, f"/api/v1/locations/{location_id}/weather/current/"
                ),
            }
            server.terminate()
            server.wait(timeout=30)
            server = None
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        _admin(f'DROP DATABASE IF EXISTS "{name}"')
    print(f"{WORKERS} workers a server; {CLIENTS} clients, {REQUESTS} requests a figure:")
    for setup, rates in figures.items():
        floor = rates["GET /floor/ (constant JSON)"]
        print(f"  {setup}")
        for label, rate in rates.items():
            versus = ""
            if setup != WSGI:
                versus = f"  {rate / figures[WSGI][label]:6.0%} of WSGI's"
            print(f"    {label:<40} {rate:8.0f} req/s  {rate / floor:6.0%} of its floor{versus}")
        worst = min(list(rates.values())[1:]) / floor
        verdict = "meets" if worst >= TARGET else "misses"
        print(f"    slowest API endpoint at {worst:.0%} of its floor: {verdict} {TARGET:.0%}")
