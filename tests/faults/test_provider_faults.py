"""Provider faults met by a real worker: Open-Meteo first, MET Norway the fallback, both stand-ins
on loopback speaking the providers' real formats (tests/support/provider_stubs.py).

A failing call is retried (urllib3's `Retry`: 3 retries, `Retry-After` honoured) and then the
next provider answers; when every provider fails, the task retries (WEATHER_TASK_MAX_RETRIES) and
ends FAILURE with a readable error, and the location keeps its last good data. Nothing is ever
stored twice: both stand-ins fix their reading's time, so a second row would be a duplicate.
"""

from __future__ import annotations

import itertools
import json

import pytest

from tests.support.deployment import FAST_RETRIES, Deployment, call
from tests.support.postgres_cluster import Database
from tests.support.provider_stubs import Mode, ProviderStubs

pytestmark = [pytest.mark.broker]

#: One call and ResiliencePolicy's 3 retries (adapters/providers/http.py).
CALLS_PER_FETCH = 1 + 3
TASK_ATTEMPTS = 1 + int(FAST_RETRIES["WEATHER_TASK_MAX_RETRIES"])
PASSWORD = "a long passphrase for the fault suite"


@pytest.mark.parametrize(
    ("fault", "open_meteo_calls"),
    [
        pytest.param("server_error", CALLS_PER_FETCH, id="500"),
        pytest.param("throttled", CALLS_PER_FETCH, id="429-with-retry-after"),
        pytest.param("hang", CALLS_PER_FETCH, id="timeout"),
        # A 200 whose body is not JSON is not retried by the HTTP layer: a fallback at once.
        pytest.param("malformed", None, id="malformed-json"),
    ],
)
def test_a_provider_fault_is_retried_then_met_norway_answers_and_the_reading_is_stored_once(
    deployment: Deployment,
    database: Database,
    providers: ProviderStubs,
    task_queue: str,
    fault: Mode,
    open_meteo_calls: int | None,
) -> None:
    [location_id] = deployment.driver("seed", json.dumps({"locations": 1}))["location_ids"]
    worker = deployment.start_worker()
    before = database.counts()
    providers.open_meteo.mode = fault

    task_id = deployment.driver("enqueue-refresh", location_id)["task_id"]
    status, result, _ = database.wait_for_task(task_id, timeout=60)

    assert status == "SUCCESS", (result, worker.log()[-3000:])
    assert json.loads(result or "{}") == {
        "location_id": location_id,
        "provider": "met-norway",
        "observations_stored": 1,
    }
    om = providers.open_meteo
    if open_meteo_calls is not None:
        assert om.requests == open_meteo_calls, om.requests_by_mode
    else:
        assert om.requests >= 1
    assert providers.met_norway.requests == 1
    if fault == "throttled":  # each retry waited the second that Retry-After asked for
        gaps = [later - earlier for earlier, later in itertools.pairwise(om.request_times)]
        assert all(gap >= 0.95 for gap in gaps), gaps
    assert database.counts() == {**before, "observations": 1, "forecasts": 2, "task_results": 1}
    assert {row[2] for row in database.forecasts()} == {"met-norway"}

    # The fault ends: the next refresh is Open-Meteo's again, its own reading stored once.
    om.mode = "answer"
    again_id = deployment.driver("enqueue-refresh", location_id)["task_id"]
    again_status, again_result, _ = database.wait_for_task(again_id, timeout=60)
    assert again_status == "SUCCESS", again_result
    assert json.loads(again_result or "{}")["provider"] == "open-meteo"
    assert database.counts() == {**before, "observations": 2, "forecasts": 2, "task_results": 2}
    assert [key[2] for key in database.observation_keys()] == ["met-norway", "open-meteo"]
    assert {row[2] for row in database.forecasts()} == {"open-meteo"}


def test_when_both_providers_fail_the_task_retries_then_fails_readably_and_the_last_data_stays(
    deployment: Deployment, database: Database, providers: ProviderStubs, task_queue: str
) -> None:
    seeded = deployment.driver(
        "seed", json.dumps({"locations": 1, "users": [["watcher", PASSWORD, 0]]})
    )
    [location_id] = seeded["location_ids"]
    token = seeded["tokens"]["watcher"]
    deployment.start_worker()
    refresh = f"/api/v1/locations/{location_id}/refresh/"
    current = f"/api/v1/locations/{location_id}/weather/current/"

    with deployment.web() as base_url:
        good = call("POST", base_url + refresh, token=token).body["task_id"]
        assert database.wait_for_task(good)[0] == "SUCCESS"
        counts, keys, forecasts = (
            database.counts(),
            database.observation_keys(),
            database.forecasts(),
        )
        last_good = call("GET", base_url + current).body

        providers.open_meteo.mode = providers.met_norway.mode = "server_error"
        providers.open_meteo.requests = providers.met_norway.requests = 0
        failing = call("POST", base_url + refresh, token=token).body["task_id"]
        assert database.wait_for_task(failing, timeout=90)[0] == "FAILURE"
        status = call("GET", f"{base_url}/api/v1/tasks/{failing}/", token=token)
        during = call("GET", base_url + current)
        after_failure = database.counts(), database.observation_keys(), database.forecasts()
        calls = providers.open_meteo.requests, providers.met_norway.requests

        # Both come back: the next refresh succeeds, and finds the same reading (not news).
        providers.open_meteo.mode = providers.met_norway.mode = "answer"
        back = call("POST", base_url + refresh, token=token).body["task_id"]
        back_status, back_result, _ = database.wait_for_task(back)

    assert status.status == 200, status.body
    assert status.body["state"] == "FAILURE"
    assert status.body["result"] is None
    error = status.body["error"]
    assert error.startswith("AllProvidersUnavailable"), error
    for named in ("open-meteo", "met-norway", "500"):
        assert named in error, error
    assert "Traceback" not in error
    # Each provider: its call and retries, on the first try of the task and on its retry.
    assert calls == (TASK_ATTEMPTS * CALLS_PER_FETCH, TASK_ATTEMPTS * CALLS_PER_FETCH)
    # The last good data stayed, untouched, and was served all along.
    assert after_failure == (
        {**counts, "task_results": counts["task_results"] + 1},
        keys,
        forecasts,
    )
    assert during.status == 200
    assert during.body == last_good
    assert back_status == "SUCCESS", back_result
    assert json.loads(back_result or "{}")["observations_stored"] == 0
    assert database.observation_keys() == keys
    assert database.counts() == {**counts, "task_results": counts["task_results"] + 2}
    assert [row[:3] for row in database.forecasts()] == [row[:3] for row in forecasts]
