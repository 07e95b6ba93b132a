"""Tasks and a stopped PostgreSQL: a real worker on the shared RabbitMQ (a queue of the test's own)
and the private cluster, stopped while a refresh is delivered or while it runs.

A task that cannot reach storage is not lost: it goes back to the queue (`WeatherTask`), runs once
the database is back, and ends SUCCESS with its reading stored once (issue 12, "Done when").
"""

from __future__ import annotations

import json
import time

import pytest

from tests.support.deployment import Deployment, Service
from tests.support.postgres_cluster import Database
from tests.support.provider_stubs import HOLD_HTTP_TIMEOUT_SECONDS, ProviderStubs

pytestmark = [pytest.mark.broker]

#: The result backend retries a failed write 10 times (settings: CELERY_RESULT_BACKEND_*), with
#: full-jitter backoff of at most 0.4 + 0.8 + 1.6 + 3.2 + 6 × 5 = 36 s: past that it gives up.
BACKEND_RETRIES_AT_MOST_SECONDS = 40.0

REQUEUED = "back to the queue"  # WeatherTask's warning when it hands a task back


def keep_down_until_the_first_delivery_gave_up(worker: Service) -> str:
    """Waits while the database is down until the worker is done trying with the first delivery:
    it put the task back in the queue, or its result backend spent every retry of the STARTED
    write (Celery logs "Retrying 0 more times", then starts over for the next write). Bounded by
    the most those retries can take, so the outage always outlasts them."""
    deadline = time.monotonic() + BACKEND_RETRIES_AT_MOST_SECONDS
    while time.monotonic() < deadline:
        log = worker.log()
        if REQUEUED in log:
            return "requeued"
        spent = log.find("Retrying 0 more times")
        if spent >= 0 and "Retrying 9 more times" in log[spent:]:
            return "the result backend gave up"
        time.sleep(0.2)
    return "the longest the result backend retries"


def test_a_task_delivered_while_the_database_is_down_runs_after_it_is_back_and_stores_once(
    deployment: Deployment, database: Database, providers: ProviderStubs, task_queue: str
) -> None:
    [location_id] = deployment.driver("seed", json.dumps({"locations": 1}))["location_ids"]
    worker = deployment.start_worker()
    before = database.counts()

    with database.cluster.stopped():
        # Queueing needs only the broker; the worker receives the task at once.
        task_id = deployment.driver("enqueue-refresh", location_id)["task_id"]
        worker.wait_for_log(f"[{task_id}] received", timeout=30)
        waited_for = keep_down_until_the_first_delivery_gave_up(worker)

    status, result, traceback = database.wait_for_task(task_id, timeout=90)
    after = database.counts()
    assert status == "SUCCESS", (
        f"kept down until {waited_for}; the task ended {status}: {result}\n"
        f"{(traceback or '')[-800:]}\n{worker.log()[-3000:]}"
    )
    assert json.loads(result or "{}") == {
        "location_id": location_id,
        "provider": "open-meteo",
        "observations_stored": 1,
    }
    assert after == {**before, "observations": 1, "forecasts": 2, "task_results": 1}
    assert REQUEUED in worker.log()  # it went back to the queue rather than waiting in place


def test_a_task_whose_database_goes_away_mid_refresh_goes_back_to_the_queue_and_stores_once(
    deployment: Deployment, database: Database, providers: ProviderStubs, task_queue: str
) -> None:
    [location_id] = deployment.driver("seed", json.dumps({"locations": 1}))["location_ids"]
    providers.open_meteo.mode = "hold"
    deployment.env["WEATHER_HTTP_TIMEOUT_SECONDS"] = HOLD_HTTP_TIMEOUT_SECONDS
    worker = deployment.start_worker()
    before = database.counts()
    task_id = deployment.driver("enqueue-refresh", location_id)["task_id"]
    assert providers.open_meteo.first_request.wait(timeout=30), worker.log()
    stored = database.task_result(task_id)
    assert stored is not None
    assert stored[0] == "STARTED", stored

    with database.cluster.stopped():
        providers.open_meteo.release()  # the answer comes while the database is away
        worker.wait_for_log(REQUEUED, timeout=30)
        assert database.cluster.is_running() is False

    status, result, _ = database.wait_for_task(task_id, timeout=90)
    assert status == "SUCCESS", (result, worker.log()[-3000:])
    assert json.loads(result or "{}")["observations_stored"] == 1
    # Fetched twice (the first answer could not be stored), stored once, nothing half-written.
    assert providers.open_meteo.requests == 2
    assert database.counts() == {**before, "observations": 1, "forecasts": 2, "task_results": 1}
    assert len(database.observation_keys()) == 1
