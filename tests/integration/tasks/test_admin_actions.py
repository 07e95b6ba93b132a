"""The admin's location actions queue the real tasks, and a real worker runs them: "Refresh now"
fetches from the (stub) forecast provider, "Backfill the last N days" from the (stub) archive,
and what they stored is in the database. On the embedded broker always (`make run`'s set-up),
on RabbitMQ when TEST_BROKER_URL is set.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.integration.tasks.conftest import WORKER_FLAGS, OpenMeteoStub, Project
from tests.support.processes import PROJECT_DIR
from tests.support.provider_answers import ARCHIVE_PATH, archive_hours

DAYS = 2


def answer_archive(request: Request) -> Response:
    status, body = archive_hours(request.args)
    return Response(json.dumps(body), status=status, content_type="application/json")


@pytest.fixture(params=["embedded_project", "rabbit_project"], ids=["embedded", "rabbitmq"])
def project(request: pytest.FixtureRequest, httpserver: HTTPServer, stub: OpenMeteoStub) -> Project:
    project: Project = request.getfixturevalue(request.param)
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(answer_archive)
    project.env["OPEN_METEO_ARCHIVE_URL"] = httpserver.url_for(ARCHIVE_PATH)
    return project


def operate(project: Project, days: int, timeout: float) -> Any:
    """What the driver saw, as it printed it (JSON)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.integration.tasks.admin_driver", str(days), str(timeout)],
        cwd=PROJECT_DIR,
        env=project.env,
        capture_output=True,
        text=True,
        timeout=timeout * 4 + 60,
        check=False,
    )
    assert done.returncode == 0, done.stderr + project.worker_output()
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_admins_refresh_and_backfill_actions_are_run_by_a_real_worker(
    project: Project, stub: OpenMeteoStub, httpserver: HTTPServer
) -> None:
    project.start_worker("--pool=solo", *WORKER_FLAGS)

    outcome = operate(project, DAYS, timeout=60)

    refreshes, backfills = outcome["refreshes"], outcome["backfills"]
    assert len(refreshes) == 2, outcome["refresh_messages"]
    assert len(backfills) == 2, outcome["backfill_messages"]
    assert [task["state"] for task in refreshes + backfills] == ["SUCCESS"] * 4, outcome
    for task in refreshes:
        assert task["result"]["observations_stored"] == 1
    for task in backfills:
        assert task["result"]["days"] == DAYS
        assert task["result"]["observations_stored"] > 0
    stored = outcome["stored"]
    for location_id in outcome["location_ids"]:
        assert stored[location_id]["observations"] > 1  # the refresh's reading and the archive's
        assert stored[location_id]["hourly_points"] > 0
    archive_requests = [r for r, _ in httpserver.log if r.path == ARCHIVE_PATH]
    assert len(archive_requests) == 2  # one month-sized chunk per location
    assert stub.requests >= 1
