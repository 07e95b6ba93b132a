"""The default set-up: `make run`'s worker command, on the embedded filesystem broker, runs a
refresh queued through the `TaskQueue` adapter (not eagerly, in the queueing process)."""

from __future__ import annotations

import shlex

from tests.integration.tasks.conftest import OpenMeteoStub, Project
from tests.support.processes import PROJECT_DIR


def procfile_worker_options() -> list[str]:
    """The options of Procfile.dev's worker line, so the test runs what `make run` runs."""
    for line in (PROJECT_DIR / "Procfile.dev").read_text(encoding="utf-8").splitlines():
        name, _, command = line.partition(":")
        if name.strip() == "worker":
            words = shlex.split(command)
            return words[words.index("worker") + 1 :]
    raise AssertionError("Procfile.dev has no worker line")


def test_make_runs_worker_picks_up_a_queued_refresh(
    embedded_project: Project, stub: OpenMeteoStub
) -> None:
    embedded_project.start_worker(*procfile_worker_options())
    queued = embedded_project.run("add-and-enqueue", "1", "one")
    [location_id] = queued["location_ids"]

    status = embedded_project.run("wait", queued["task_id"], "60", location_id)

    assert status["state"] == "SUCCESS", status
    assert status["result"]["observations_stored"] == 1
    assert status["stored"][location_id]["observations"] == 1
    assert stub.requests == 1
