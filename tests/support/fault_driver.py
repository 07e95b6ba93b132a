"""What a fault test asks of the project from outside its servers: ``python -m
tests.support.fault_driver <action> [argument]`` in the test's environment (its own database and
broker), printing one JSON document on its last line.

Everything goes through the project's own doors, as its processes would: locations through the
`RegisterLocation` use case, tasks through the `TaskQueue` port (which needs the broker only, so a
task can be queued while the database is down), users and tokens through Django's auth, and the
beat schedule through django-celery-beat's models.

- ``seed '{"locations": N, "refresh": true, "users": [["name", "password", staff?], ...]}'``:
  the ids of N new locations (refreshed here, through the providers, when ``refresh`` is true)
  and an API token per user;
- ``enqueue-refresh LOCATION_ID``: the id of the queued `weather.refresh_location`;
- ``beat-every SECONDS``: the periodic refresh-all due every SECONDS from now on.
"""

from __future__ import annotations

import json
import sys
import uuid
from typing import Any

import django


def seed(request: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from application.use_cases.register_location import RegisterLocationCommand
    from server_config.container import container

    register = container.register_location()
    location_ids = [
        str(
            register.execute(
                RegisterLocationCommand(
                    name=f"Fault place {index}",
                    latitude=53.2 + index * 0.01,
                    longitude=50.15,
                    timezone="Europe/Samara",
                )
            ).id
        )
        for index in range(int(request.get("locations", 0)))
    ]
    if request.get("refresh"):
        from application.use_cases.refresh_location import RefreshLocationCommand

        for location_id in location_ids:
            container.refresh_location().execute(RefreshLocationCommand(uuid.UUID(location_id)))
    tokens = {}
    for username, password, staff in request.get("users", []):
        user = get_user_model().objects.create_user(
            username=username, password=password, is_staff=bool(staff)
        )
        tokens[username] = Token.objects.create(user=user).key
    return {"location_ids": location_ids, "tokens": tokens}


def enqueue_refresh(location_id: str) -> dict[str, Any]:
    from server_config.container import container

    return {"task_id": container.task_queue().enqueue_refresh_location(uuid.UUID(location_id))}


def beat_every(seconds: str) -> dict[str, Any]:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.get_or_create(
        every=int(seconds), period=IntervalSchedule.SECONDS
    )
    changed = []
    for task in PeriodicTask.objects.filter(task="weather.refresh_all"):
        task.interval = interval
        task.save()  # save(), not update(): beat notices the change through PeriodicTasks
        changed.append(task.name)
    return {"periodic_tasks": changed}


def main(action: str, *args: str) -> object:
    django.setup()
    if action == "seed":
        return seed(json.loads(args[0]))
    if action == "enqueue-refresh":
        return enqueue_refresh(args[0])
    if action == "beat-every":
        return beat_every(args[0])
    raise SystemExit(f"unknown action {action}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
