"""Two gunicorn servers on one Redis (`TEST_CACHE_URL` as their `CACHE_URL`): the failed-login
limit of CONTRACT.md v2 §3 is counted once for both, as for the workers of one deployment.

Each run logs in as a username of its own from a loopback address of its own (any of 127/8), so
that runs never share a counter, and needs no clean-up: the counters expire with their minute.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import required_service_url
from tests.support.processes import child_environment, gunicorn_server, run_manage

pytestmark = [pytest.mark.redis]

PASSWORD = "a long passphrase for this test only"


@pytest.fixture
def redis_url() -> str:
    return required_service_url("TEST_CACHE_URL")


def _log_in(base_url: str, address: str, username: str, password: str) -> tuple[int, str | None]:
    """POST /api/v1/auth/token/ from `address`: the status and `Retry-After`."""
    server = urlsplit(base_url)
    assert server.hostname is not None
    connection = http.client.HTTPConnection(
        server.hostname, server.port, timeout=30, source_address=(address, 0)
    )
    try:
        connection.request(
            "POST",
            "/api/v1/auth/token/",
            body=json.dumps({"username": username, "password": password}),
            headers={"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After")
    finally:
        connection.close()


def _at_the_start_of_a_window(needed: float, window: float = 60) -> None:
    """Counters are per fixed window: wait for a new one unless `needed` seconds are left."""
    left = window - time.time() % window
    if left < needed:
        time.sleep(left + 0.5)


def test_failed_logins_are_counted_once_for_two_servers_sharing_a_redis(
    tmp_path: Path, redis_url: str
) -> None:
    username = f"alice-{uuid.uuid4().hex[:12]}"
    attacker, owner = (
        f"127.{random.randrange(1, 255)}.{n}.{random.randrange(1, 255)}" for n in (1, 2)
    )
    env = child_environment(
        tmp_path,
        CACHE_URL=redis_url,
        API_THROTTLE_LOGIN_FAILURES="3/minute",
        DJANGO_SUPERUSER_USERNAME=username,
        DJANGO_SUPERUSER_EMAIL="alice@example.org",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    for command in (["migrate", "--noinput"], ["create_superuser_from_env"]):
        done = run_manage(env, *command, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr

    with gunicorn_server(env, timeout=60) as first, gunicorn_server(env, timeout=60) as second:
        _at_the_start_of_a_window(needed=30)
        right_before = _log_in(second, owner, username, PASSWORD)
        failures = [
            _log_in(server, attacker, username, "guess")[0] for server in (first, second, first)
        ]
        locked_elsewhere = _log_in(second, attacker, username, "guess")
        right_while_locked = _log_in(second, owner, username, PASSWORD)
        other_user_same_address = _log_in(first, attacker, f"{username}-2", "guess")

    assert right_before == (200, None)
    assert failures == [400, 400, 400]
    assert locked_elsewhere[0] == 429
    assert right_while_locked[0] == 429, "the username's failures on one server lock it on both"
    assert 0 < int(right_while_locked[1] or 0) <= 60
    assert other_user_same_address[0] == 429, "the address's failures are shared too"
