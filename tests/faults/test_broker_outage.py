"""The broker goes away: a refresh request under gunicorn, and beat's periodic tick.

The outage is a proxy in front of the shared RabbitMQ (the real broker keeps running), switched to
refuse connections (a closed port: a broker that is down) or to accept them and never answer (a
hung broker); relayed connections are cut at the switch, as when a broker dies. The worker talks to
RabbitMQ directly, so what the tests see is the web process and beat meeting the outage, and what
they send once the broker is back.
"""

from __future__ import annotations

import contextlib
import json
import time

import pytest

from tests.support.broker_proxy import BrokerProxy
from tests.support.deployment import Answer, Deployment, call
from tests.support.postgres_cluster import Database
from tests.support.processes import free_port, silent_listener
from tests.support.provider_stubs import ProviderStubs

QUEUE_UNAVAILABLE = "urn:f-brain:problem:queue-unavailable"
#: The settings' broker connection timeout (CELERY_BROKER_CONNECTION_TIMEOUT).
CONNECT_TIMEOUT_SECONDS = 3.0
#: How long a refresh request may wait for a broker that is down: the publish is retried once
#: (CELERY_TASK_PUBLISH_RETRY_POLICY), at once when refused, after a connection timeout per
#: attempt when silent; plus slack for a loaded machine.
PUBLISH_BOUND_SECONDS = {"refusing": 2.0, "silent": 2 * CONNECT_TIMEOUT_SECONDS + 2.0}
PASSWORD = "a long passphrase for the fault suite"


def assert_queue_outage(answer: Answer, what: str) -> None:
    assert answer.status == 503, f"{what}: {answer.status} {answer.body}"
    assert answer.content_type.startswith("application/problem+json"), (what, answer.headers)
    assert answer.body["type"] == QUEUE_UNAVAILABLE, (what, answer.body)
    assert int(answer.headers.get("retry-after", "0")) > 0, (what, answer.headers)


@pytest.mark.parametrize("broker", ["refusing", "silent"])
def test_a_refresh_request_to_a_broker_never_reached_answers_503_within_the_connect_timeouts(
    deployment: Deployment, broker: str
) -> None:
    seeded = deployment.driver(
        "seed", json.dumps({"locations": 1, "users": [["refresher", PASSWORD, 0]]})
    )
    [location_id] = seeded["location_ids"]
    refresh = f"/api/v1/locations/{location_id}/refresh/"
    with contextlib.ExitStack() as stack:
        port = stack.enter_context(silent_listener()) if broker == "silent" else free_port()
        url = f"amqp://guest:guest@127.0.0.1:{port}//"
        base_url = stack.enter_context(deployment.web(CELERY_BROKER_URL=url))
        answer = call("POST", base_url + refresh, token=seeded["tokens"]["refresher"])
        again = call("POST", base_url + refresh, token=seeded["tokens"]["refresher"])

    for attempt in (answer, again):
        assert_queue_outage(attempt, broker)
        assert attempt.seconds < PUBLISH_BOUND_SECONDS[broker], attempt.seconds
    assert "Internal Server Error" not in deployment.web_log()


@pytest.mark.broker
def test_a_refresh_request_answers_503_while_the_broker_refuses_or_is_silent_then_queues_again(
    deployment: Deployment,
    database: Database,
    providers: ProviderStubs,
    task_queue: str,
    proxy: BrokerProxy,
) -> None:
    seeded = deployment.driver(
        "seed", json.dumps({"locations": 1, "users": [["refresher", PASSWORD, 0]]})
    )
    [location_id] = seeded["location_ids"]
    token = seeded["tokens"]["refresher"]
    worker = deployment.start_worker()  # on RabbitMQ itself, not through the proxy
    refresh = f"/api/v1/locations/{location_id}/refresh/"
    accepted: list[str] = []

    with deployment.web(CELERY_BROKER_URL=proxy.url) as base_url:
        first = call("POST", base_url + refresh, token=token)
        assert first.status == 202, first.body
        accepted.append(first.body["task_id"])
        assert database.wait_for_task(accepted[0])[0] == "SUCCESS"
        before = database.counts()

        proxy.switch("refuse")
        refused = call("POST", base_url + refresh, token=token)
        refused_ready = call("GET", f"{base_url}/health/ready")
        read_meanwhile = call("GET", f"{base_url}/api/v1/locations/{location_id}/")

        proxy.switch("silent")
        silent = call("POST", base_url + refresh, token=token)
        silent_ready = call("GET", f"{base_url}/health/ready")

        proxy.switch("forward")
        again = call("POST", base_url + refresh, token=token)
        assert again.status == 202, (again.body, deployment.web_log()[-3000:])
        accepted.append(again.body["task_id"])
        status, result, _ = database.wait_for_task(accepted[1])

    assert_queue_outage(refused, "refused")
    assert_queue_outage(silent, "silent")
    assert refused.seconds < PUBLISH_BOUND_SECONDS["refusing"], refused.seconds
    assert silent.seconds < PUBLISH_BOUND_SECONDS["silent"], silent.seconds
    for ready in (refused_ready, silent_ready):
        assert ready.status == 503, ready.body
        assert ready.body["checks"]["broker"].startswith("unavailable: "), ready.body
        assert ready.body["checks"]["database"] == "ok", ready.body
    assert read_meanwhile.status == 200, read_meanwhile.body  # reads need no broker

    assert status == "SUCCESS", result
    assert json.loads(result or "{}")["observations_stored"] == 0  # the same reading again
    # Exactly the two accepted requests ran: the refused ones queued nothing, not even later.
    assert worker.log().count("] received") == 2, worker.log()
    assert database.counts() == {**before, "task_results": 2}
    assert database.counts()["observations"] == 1


@pytest.mark.broker
def test_beat_survives_a_broker_outage_and_its_next_tick_after_it_is_delivered_and_run(
    deployment: Deployment,
    database: Database,
    providers: ProviderStubs,
    task_queue: str,
    proxy: BrokerProxy,
) -> None:
    deployment.driver("seed", json.dumps({"locations": 2}))
    deployment.driver("beat-every", "2")
    deployment.start_worker()  # on RabbitMQ itself
    beat = deployment.start_beat(CELERY_BROKER_URL=proxy.url)

    def refresh_all_runs() -> int:
        """Refresh-all runs that reached SUCCESS (the chord's gather answers for each)."""
        rows = database.query(
            "SELECT count(*) FROM django_celery_results_taskresult "
            "WHERE status = 'SUCCESS' AND result LIKE '%%locations_refreshed%%'"
        )
        return int(rows[0][0])

    def wait_for_runs(count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while refresh_all_runs() < count:
            assert time.monotonic() < deadline, f"{refresh_all_runs()} runs\n{deployment.logs()}"
            time.sleep(0.2)

    wait_for_runs(1)  # beat ticks, the worker runs it: the path works before the outage
    before = database.counts()

    proxy.switch("refuse")
    offset = len(beat.log())
    time.sleep(1.5)  # a tick sent just before the switch may still be running
    runs_early, requests_early = refresh_all_runs(), providers.open_meteo.requests
    beat.wait_for_log("Couldn't apply scheduled task", after=offset, timeout=15)
    proxy.switch("silent")
    offset_silent = len(beat.log())
    # A silent broker holds each tick for its connection timeouts, then beat gives it up.
    beat.wait_for_log("timed out", after=offset_silent, timeout=20)
    runs_during, requests_during = refresh_all_runs(), providers.open_meteo.requests
    outage_log = beat.log()[offset:]
    assert beat.running, beat.log()

    proxy.switch("forward")
    wait_for_runs(runs_during + 1)
    after = database.counts()

    assert beat.running, beat.log()
    assert "Connection refused" in outage_log, outage_log
    # Nothing was delivered during the outage; the next tick after it was, and ran.
    assert (runs_during, requests_during) == (runs_early, requests_early), outage_log
    assert providers.open_meteo.requests > requests_during
    # Each location keeps one reading (the same one, never a second row) and two forecasts.
    assert after["observations"] == before["observations"] == 2
    assert after["forecasts"] == before["forecasts"] == 4
    assert after["locations"] == 2
