"""The benchmark's client side, run in the benchmark's environment (its own database and queue):
``python -m benchmarks.tasks.child <throughput N | add-locations N | refresh-all>``; prints one
JSON line."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime

import django


def _add_locations(count: int) -> dict[str, object]:
    """`count` more tracked locations, each at its own rounded coordinates, in one unit of work
    (registering ten thousand one by one would measure the registration, not the refresh)."""
    from domain.locations import Coordinates, Location
    from server_config.container import container

    uow = container.unit_of_work()
    with uow:
        start = len(uow.locations.all())
        now = datetime.now(UTC)
        for index in range(start, start + count):
            uow.locations.add(
                Location.register(
                    name=f"Bench {index:05d}",
                    coordinates=Coordinates(
                        -60.0 + (index % 100) * 1.2, -170.0 + index // 100 * 3.4
                    ),
                    timezone="Europe/Samara",
                    now=now,
                )
            )
        uow.commit()
    return {"tracked": start + count}


def main(action: str, count: str = "0") -> dict[str, object]:
    django.setup()
    if action == "add-locations":
        return _add_locations(int(count))
    from application.use_cases.register_location import RegisterLocationCommand
    from server_config.container import container

    tasks = container.task_queue()
    started = time.perf_counter()
    if action == "refresh-all":
        task_ids = [tasks.enqueue_refresh_all()]
    else:
        command = RegisterLocationCommand(
            name="throughput", latitude=80.0, longitude=10.0, timezone="Europe/Samara"
        )
        location_id = container.register_location().execute(command).id
        started = time.perf_counter()
        task_ids = [tasks.enqueue_refresh_location(location_id) for _ in range(int(count))]
    states: dict[str, str] = {}
    deadline = started + 600
    for task_id in task_ids:
        while time.perf_counter() < deadline:
            status = tasks.status(task_id)
            if status.state.value in ("SUCCESS", "FAILURE"):
                states[task_id] = status.state.value
                break
            time.sleep(0.02)
    elapsed = time.perf_counter() - started
    last = tasks.status(task_ids[-1])
    return {
        "seconds": elapsed,
        "tasks": len(task_ids),
        "succeeded": sum(1 for state in states.values() if state == "SUCCESS"),
        "result": dict(last.result) if last.result else last.error,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
