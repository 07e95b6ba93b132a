"""The benchmark's client side, run in the benchmark's environment (its own database and queue):
``python -m benchmarks.tasks.child <throughput N | refresh-all N>``; prints one JSON line."""

from __future__ import annotations

import json
import sys
import time
import uuid

import django


def main(action: str, count: str) -> dict[str, object]:
    django.setup()
    from application.use_cases.register_location import RegisterLocationCommand
    from server_config.container import container

    register = container.register_location()
    tasks = container.task_queue()
    location_ids: list[uuid.UUID] = []
    for index in range(int(count) if action == "refresh-all" else 1):
        command = RegisterLocationCommand(
            name=f"{action} {index:04d}",
            latitude=(-45.0 if action == "refresh-all" else 80.0) + index * 0.05,
            longitude=10.0 + index * 0.1,
            timezone="Europe/Samara",
        )
        location_ids.append(register.execute(command).id)

    started = time.perf_counter()
    if action == "refresh-all":
        task_ids = [tasks.enqueue_refresh_all()]
    else:
        task_ids = [tasks.enqueue_refresh_location(location_ids[0]) for _ in range(int(count))]
    states: dict[str, str] = {}
    deadline = started + 300
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
