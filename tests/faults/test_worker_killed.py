"""A worker killed with SIGKILL in the middle of a refresh (the OOM killer, a lost machine): the
message was not acknowledged (``acks_late``), so the broker hands it out again, and the refresh
that runs to the end stores its reading once. The stand-in holds Open-Meteo's answer until the
kill, so the kill always lands mid-refresh.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from tests.support.deployment import Deployment
from tests.support.postgres_cluster import Database
from tests.support.provider_stubs import HOLD_HTTP_TIMEOUT_SECONDS, ProviderStubs

pytestmark = [pytest.mark.broker]


def test_a_worker_killed_mid_refresh_leaves_the_task_to_a_second_worker_which_stores_it_once(
    deployment: Deployment, database: Database, providers: ProviderStubs, task_queue: str
) -> None:
    [location_id] = deployment.driver("seed", json.dumps({"locations": 1}))["location_ids"]
    providers.open_meteo.mode = "hold"
    deployment.env["WEATHER_HTTP_TIMEOUT_SECONDS"] = HOLD_HTTP_TIMEOUT_SECONDS
    first = deployment.start_worker()
    before = database.counts()
    task_id = deployment.driver("enqueue-refresh", location_id)["task_id"]
    assert providers.open_meteo.first_request.wait(timeout=30), first.log()
    second = deployment.start_worker()

    first.kill()  # the whole worker, its pool process included
    providers.open_meteo.release()
    status, result, _ = database.wait_for_task(task_id, timeout=60)

    assert status == "SUCCESS", (result, deployment.logs())
    assert f"[{task_id}] received" in second.log()
    assert f"[{task_id}] succeeded" in second.log()
    assert providers.open_meteo.requests == 2  # the killed attempt and the redelivered one
    assert database.counts() == {**before, "observations": 1, "forecasts": 2, "task_results": 1}


def test_a_pool_process_killed_mid_refresh_puts_the_task_back_and_a_new_one_stores_it_once(
    deployment: Deployment, database: Database, providers: ProviderStubs, task_queue: str
) -> None:
    [location_id] = deployment.driver("seed", json.dumps({"locations": 1}))["location_ids"]
    providers.open_meteo.mode = "hold"
    deployment.env["WEATHER_HTTP_TIMEOUT_SECONDS"] = HOLD_HTTP_TIMEOUT_SECONDS
    worker = deployment.start_worker("--pool=prefork", "--concurrency=1")
    before = database.counts()
    task_id = deployment.driver("enqueue-refresh", location_id)["task_id"]
    assert providers.open_meteo.first_request.wait(timeout=30), worker.log()
    started = database.task_result(task_id)
    assert started is not None
    assert started[0] == "STARTED", started
    child = int(json.loads(started[1] or "{}")["pid"])  # the pool process, as STARTED records
    assert _parent_of(child) == worker.process.pid  # only ever a process this test started

    os.kill(child, signal.SIGKILL)  # the pool process alone: the worker sees it lost
    providers.open_meteo.release()
    status, result, _ = database.wait_for_task(task_id, timeout=60)

    assert status == "SUCCESS", (result, worker.log())
    assert "WorkerLostError" in worker.log()  # rejected back to the queue (reject_on_worker_lost)
    assert worker.running
    assert providers.open_meteo.requests == 2
    assert database.counts() == {**before, "observations": 1, "forecasts": 2, "task_results": 1}


def _parent_of(pid: int) -> int:
    # /proc/<pid>/stat: "pid (name) state ppid ...", the name in parentheses may hold spaces.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[1])
