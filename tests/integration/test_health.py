"""``/health/ready`` really checks the database and the broker, through a real gunicorn process.

Dead services are simulated on loopback only: a closed port (connection refused) and a silent
listener (connects, then never answers). The machine's own PostgreSQL and RabbitMQ are only ever
connected to, never stopped.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.support.processes import (
    child_environment,
    free_port,
    get_json,
    gunicorn_server,
    silent_listener,
)

#: The readiness timeout (3 s per check, checks run concurrently) plus slack for a loaded machine.
READY_DEADLINE_SECONDS = 8


def test_ready_on_the_embedded_defaults(tmp_path: Path) -> None:
    with gunicorn_server(child_environment(tmp_path)) as base_url:
        status, body = get_json(f"{base_url}/health/ready")

    assert status == 200
    assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_ready_on_postgresql_and_rabbitmq(
    tmp_path: Path, postgres_url: str, broker_url: str
) -> None:
    env = child_environment(tmp_path, DATABASE_URL=postgres_url, CELERY_BROKER_URL=broker_url)
    with gunicorn_server(env) as base_url:
        status, body = get_json(f"{base_url}/health/ready")

    assert status == 200, body
    assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_dead_broker_gives_503_naming_the_broker_and_the_process_keeps_serving(
    tmp_path: Path,
) -> None:
    env = child_environment(
        tmp_path, CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{free_port()}//"
    )
    with gunicorn_server(env) as base_url:
        started = time.monotonic()
        status, body = get_json(f"{base_url}/health/ready")
        elapsed = time.monotonic() - started
        live_status, _ = get_json(f"{base_url}/health/live")

    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("unavailable: ")
    assert "guest" not in str(body), "the reason must not leak broker credentials"
    assert elapsed < READY_DEADLINE_SECONDS
    assert live_status == 200


def test_dead_database_gives_503_naming_the_database(tmp_path: Path) -> None:
    env = child_environment(
        tmp_path, DATABASE_URL=f"postgres://nobody:secret@127.0.0.1:{free_port()}/db"
    )
    with gunicorn_server(env) as base_url:
        status, body = get_json(f"{base_url}/health/ready")
        live_status, _ = get_json(f"{base_url}/health/live")

    assert status == 503
    assert body["checks"]["broker"] == "ok"
    assert body["checks"]["database"].startswith("unavailable: ")
    assert "secret" not in str(body)
    assert live_status == 200


def test_hung_database_and_broker_fail_within_the_timeout(tmp_path: Path) -> None:
    with silent_listener() as db_port, silent_listener() as broker_port:
        env = child_environment(
            tmp_path,
            DATABASE_URL=f"postgres://nobody@127.0.0.1:{db_port}/db",
            CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{broker_port}//",
        )
        with gunicorn_server(env) as base_url:
            started = time.monotonic()
            status, body = get_json(f"{base_url}/health/ready")
            elapsed = time.monotonic() - started
            live_status, _ = get_json(f"{base_url}/health/live", timeout=2)

    assert status == 503
    assert body["checks"]["database"].startswith("unavailable: ")
    assert body["checks"]["broker"].startswith("unavailable: ")
    assert elapsed < READY_DEADLINE_SECONDS
    assert live_status == 200
