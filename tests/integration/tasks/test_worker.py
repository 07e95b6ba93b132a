"""The tasks in a real worker on the machine's RabbitMQ (``TEST_BROKER_URL``), queued through the
`TaskQueue` adapter and read back through it, as the API does."""

from __future__ import annotations

import pytest

from tests.integration.tasks.conftest import WORKER_FLAGS, OpenMeteoStub, Project

pytestmark = pytest.mark.broker

PREFORK = ("--pool=prefork", "--concurrency=2", *WORKER_FLAGS)


def test_a_queued_refresh_runs_in_the_worker_and_reaches_success(
    rabbit_project: Project, stub: OpenMeteoStub
) -> None:
    rabbit_project.start_worker(*PREFORK)
    queued = rabbit_project.run("add-and-enqueue", "1", "one")
    [location_id] = queued["location_ids"]

    status = rabbit_project.run("wait", queued["task_id"], "60", location_id)

    assert status["state"] == "SUCCESS", status
    assert status["result"] == {
        "location_id": location_id,
        "provider": "open-meteo",
        "observations_stored": 1,
    }
    assert status["error"] is None
    assert status["stored"][location_id]["observations"] == 1


def test_a_refresh_whose_provider_fails_retries_then_fails_with_the_error(
    rabbit_project: Project, stub: OpenMeteoStub
) -> None:
    stub.mode = "reject"
    rabbit_project.start_worker(*PREFORK)
    queued = rabbit_project.run("add-and-enqueue", "1", "one")

    status = rabbit_project.run("wait", queued["task_id"], "60")

    assert status["state"] == "FAILURE", status
    # RETRY passes too quickly to be polled reliably; the provider's calls show the retries:
    assert stub.requests == 3  # the first try and WEATHER_TASK_MAX_RETRIES=2 retries
    assert status["error"].startswith("AllProvidersUnavailable: open-meteo is unavailable"), status
    assert status["result"] is None


def test_a_refresh_killed_with_its_worker_is_redelivered_and_stores_each_reading_once(
    rabbit_project: Project, stub: OpenMeteoStub
) -> None:
    stub.delay_first_seconds = 5.0
    first = rabbit_project.start_worker("--pool=solo", *WORKER_FLAGS)
    queued = rabbit_project.run("add-and-enqueue", "1", "one")
    [location_id] = queued["location_ids"]

    assert stub.first_request.wait(timeout=60), rabbit_project.worker_output()
    rabbit_project.kill(first)  # mid-refresh: the provider's answer has not come yet
    rabbit_project.start_worker("--pool=solo", *WORKER_FLAGS)
    status = rabbit_project.run("wait", queued["task_id"], "60", location_id)

    assert status["state"] == "SUCCESS", status
    assert stub.requests == 2  # the killed attempt and the redelivered one
    assert status["stored"][location_id]["observations"] == 1
    again = rabbit_project.run("enqueue-and-wait", location_id, "60")
    assert again["result"]["observations_stored"] == 0  # the same reading again is not news
    assert again["stored"][location_id] == {"observations": 1, "hourly_points": 16 * 24}


def test_refresh_all_fans_out_in_batches_and_gathers_their_results(
    rabbit_project: Project, stub: OpenMeteoStub
) -> None:
    rabbit_project.start_worker(*PREFORK)
    queued = rabbit_project.run("add-and-enqueue", "3", "all")

    status = rabbit_project.run("wait", queued["task_id"], "60", *queued["location_ids"])

    assert status["state"] == "SUCCESS", status
    assert status["result"] == {
        "locations_refreshed": 3,
        "observations_stored": 3,
        "batches": 1,  # Open-Meteo takes 100 locations per request
        "providers": ["open-meteo"],
        "failed_location_ids": [],
    }
    assert stub.requests == 1
    assert all(count["observations"] == 1 for count in status["stored"].values())
