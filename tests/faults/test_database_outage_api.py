"""The API under gunicorn while its PostgreSQL is really stopped, and after it is back.

Every request that needs storage answers 503 ``application/problem+json`` with ``Retry-After``
(type ``urn:f-brain:problem:storage-unavailable``), never a 500, whatever layer meets the outage:
the use case, DRF's token authentication, the login. ``/health/ready`` names the database.
Afterwards the same process answers again without a restart, and the tables hold exactly what
they held before: nothing written half, nothing counted twice.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.deployment import Answer, Deployment, call
from tests.support.postgres_cluster import Database

STORAGE_UNAVAILABLE = "urn:f-brain:problem:storage-unavailable"
PASSWORD = "a long passphrase for the fault suite"


def assert_storage_outage(answer: Answer, what: str) -> None:
    assert answer.status == 503, f"{what}: {answer.status} {answer.body}"
    assert answer.content_type.startswith("application/problem+json"), (what, answer.headers)
    assert answer.body["type"] == STORAGE_UNAVAILABLE, (what, answer.body)
    assert answer.body["status"] == 503, (what, answer.body)
    assert int(answer.headers.get("retry-after", "0")) > 0, (what, answer.headers)
    assert "Traceback" not in json.dumps(answer.body), what


def test_reads_answer_503_with_retry_after_while_the_database_is_down_then_the_same_data(
    deployment: Deployment, database: Database
) -> None:
    seeded = deployment.driver(
        "seed", json.dumps({"locations": 1, "refresh": True, "users": [["reader", PASSWORD, 0]]})
    )
    [location_id] = seeded["location_ids"]
    token = seeded["tokens"]["reader"]
    before = database.counts()
    assert (before["observations"], before["forecasts"]) == (1, 2), before
    location = f"/api/v1/locations/{location_id}"
    anonymous_reads = [
        "/api/v1/locations/",
        f"{location}/",
        f"{location}/weather/current/",
        f"{location}/weather/forecast/?hours=24",
        f"{location}/weather/forecast/daily/?days=3",
        f"{location}/weather/history/?start=2020-01-01T00:00:00Z&end=2020-12-31T00:00:00Z",
        f"{location}/weather/daily/?start=2020-01-01&end=2020-12-31",
    ]
    token_reads = ["/api/v1/alert-rules/", "/api/v1/alerts/", f"{location}/"]

    with deployment.web() as base_url:
        # A connection of the server's own is open when the database goes (CONN_MAX_AGE).
        assert call("GET", f"{base_url}/api/v1/alert-rules/", token=token).status == 200
        assert call("GET", f"{base_url}/health/ready").status == 200

        with database.cluster.stopped():
            for path in anonymous_reads:
                assert_storage_outage(call("GET", base_url + path), f"GET {path}")
            for path in token_reads:
                assert_storage_outage(
                    call("GET", base_url + path, token=token), f"GET {path} with a token"
                )
            ready = call("GET", f"{base_url}/health/ready")
            live = call("GET", f"{base_url}/health/live")

        assert ready.status == 503, ready
        assert ready.body["status"] == "unavailable", ready.body
        assert ready.body["checks"]["database"].startswith("unavailable: "), ready.body
        assert ready.body["checks"]["broker"] == "ok", ready.body
        assert live.status == 200, live

        # Back: the same process answers, without a restart, with the data it had.
        database.cluster.wait_until_accepting()
        for path in anonymous_reads:
            answer = call("GET", base_url + path)
            assert answer.status == 200, (path, answer.body)
        for path in token_reads:
            assert call("GET", base_url + path, token=token).status == 200, path
        current = call("GET", f"{base_url}{location}/weather/current/")
        assert current.body["location_id"] == location_id
        assert current.body["provider"] == "open-meteo"
        assert call("GET", f"{base_url}/health/ready").status == 200

    assert database.counts() == before
    assert "Internal Server Error" not in deployment.web_log()


def test_writes_with_a_token_answer_503_while_the_database_is_down_and_store_nothing(
    deployment: Deployment, database: Database, tmp_path: Path
) -> None:
    seeded = deployment.driver(
        "seed", json.dumps({"locations": 1, "users": [["writer", PASSWORD, 1]]})
    )
    [location_id] = seeded["location_ids"]
    token = seeded["tokens"]["writer"]
    new_place = {"name": "Written during the outage", "latitude": 10.5, "longitude": 20.25}
    rule = {
        "location_id": location_id,
        "metric": "temperature",
        "operator": "gt",
        "threshold": 30,
    }
    location = f"/api/v1/locations/{location_id}/"
    writes: list[tuple[str, str, object]] = [
        ("POST", "/api/v1/locations/", new_place),
        ("PATCH", location, {"name": "Renamed during the outage"}),
        ("PUT", location, {**new_place, "name": "Replaced during the outage"}),
        ("DELETE", location, None),
        ("POST", "/api/v1/alert-rules/", rule),
        ("POST", f"/api/v1/locations/{location_id}/refresh/", None),
        ("POST", "/api/v1/refresh/", None),
    ]
    before = database.counts()

    with deployment.web() as base_url:
        original = call("GET", base_url + location).body
        with database.cluster.stopped():
            for method, path, body in writes:
                answer = call(method, base_url + path, json_body=body, token=token)
                assert_storage_outage(answer, f"{method} {path}")

        database.cluster.wait_until_accepting()
        assert database.counts() == before, "a write refused with 503 left something behind"
        assert call("GET", base_url + location).body == original
        # Nothing was queued either: the embedded broker's queue is empty.
        queued = list((tmp_path / "broker" / "queue").glob("*"))
        assert queued == [], queued

        # The same writes succeed once it is back, each stored once.
        created = call("POST", f"{base_url}/api/v1/locations/", json_body=new_place, token=token)
        assert created.status == 201, created.body
        renamed = call("PATCH", base_url + location, json_body={"name": "Renamed"}, token=token)
        assert renamed.status == 200, renamed.body
        added_rule = call("POST", f"{base_url}/api/v1/alert-rules/", json_body=rule, token=token)
        assert added_rule.status == 201, added_rule.body

    after = database.counts()
    assert after == {**before, "locations": 2, "alert_rules": 1}
    assert "Internal Server Error" not in deployment.web_log()


def test_a_login_answers_503_while_the_database_is_down_and_counts_as_no_failed_attempt(
    deployment: Deployment, database: Database
) -> None:
    seeded = deployment.driver("seed", json.dumps({"users": [["alice", PASSWORD, 0]]}))
    token = seeded["tokens"]["alice"]
    before = database.counts()
    limit = 2
    right = {"username": "alice", "password": PASSWORD}
    wrong = {"username": "alice", "password": "not the password"}

    with deployment.web(API_THROTTLE_LOGIN_FAILURES=f"{limit}/minute") as base_url:
        login = f"{base_url}/api/v1/auth/token/"
        assert call("POST", login, json_body=right).body == {"token": token}
        with database.cluster.stopped():
            # More attempts than the failure limit: none may count, since no password was checked.
            for attempt in range(limit + 2):
                credentials = wrong if attempt % 2 else right
                assert_storage_outage(
                    call("POST", login, json_body=credentials), f"login {attempt + 1}"
                )

        database.cluster.wait_until_accepting()
        back = call("POST", login, json_body=right)
        assert back.status == 200, back.body  # not 429: the outage's attempts were not failures
        assert back.body == {"token": token}  # the same token, not a second one

    assert database.counts() == before
    assert "Internal Server Error" not in deployment.web_log()
