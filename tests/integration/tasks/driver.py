"""What a test asks of the project from outside the worker: ``python -m
tests.integration.tasks.driver <action> ...`` with the test's environment (its own database and
broker), printing one JSON document. Everything goes through the container, as the web process
would: locations through `RegisterLocation`, tasks through the `TaskQueue` port.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from typing import Any

import django


def main(action: str, *args: str) -> object:
    django.setup()
    from server_config.container import container

    tasks = container.task_queue()
    if action == "add-and-enqueue":
        # Adds N locations, then queues a refresh of the first one ("one") or of all ("all").
        location_ids = add_locations(container, int(args[0]))
        if args[1] == "all":
            task_id = tasks.enqueue_refresh_all()
        else:
            task_id = tasks.enqueue_refresh_location(location_ids[0])
        return {"location_ids": [str(i) for i in location_ids], "task_id": task_id}
    if action == "enqueue-and-wait":
        task_id = tasks.enqueue_refresh_location(uuid.UUID(args[0]))
        return {**wait(tasks, task_id, float(args[1])), "stored": stored([uuid.UUID(args[0])])}
    if action == "wait":
        location_ids = [uuid.UUID(value) for value in args[2:]]
        return {**wait(tasks, args[0], float(args[1])), "stored": stored(location_ids)}
    raise SystemExit(f"unknown action {action}")


def add_locations(container: Any, count: int) -> list[uuid.UUID]:
    from application.use_cases.register_location import RegisterLocationCommand

    register = container.register_location()
    return [
        register.execute(
            RegisterLocationCommand(
                name=f"Place {index}",
                latitude=53.0 + index * 0.01,
                longitude=50.0,
                timezone="Europe/Samara",
            )
        ).id
        for index in range(count)
    ]


def wait(tasks: object, task_id: str, timeout: float) -> dict[str, object]:
    """Poll the task's status through the port until it ends; every state seen, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        status = tasks.status(task_id)  # type: ignore[attr-defined]
        if not seen or seen[-1] != status.state.value:
            seen.append(status.state.value)
        if status.state.value in ("SUCCESS", "FAILURE") or time.monotonic() > deadline:
            return {
                "states": seen,
                "state": status.state.value,
                "result": dict(status.result) if status.result is not None else None,
                "error": status.error,
            }
        time.sleep(0.05)


def stored(location_ids: list[uuid.UUID]) -> dict[str, object]:
    """Observations (straight from the table) and hourly forecast points stored per location."""
    from django.apps import apps

    from server_config.container import container

    app = "weather"  # the persistence adapter's label; the rows are counted as the DB has them
    observations = apps.get_model(app, "Observation")
    counts: dict[str, object] = {}
    with container.unit_of_work() as uow:
        for location_id in location_ids:
            hourly = uow.forecasts.hourly(location_id)
            counts[str(location_id)] = {
                "observations": observations.objects.filter(location_id=location_id).count(),
                "hourly_points": len(hourly.points) if hourly is not None else 0,
            }
    return counts


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
