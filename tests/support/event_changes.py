"""Changes made by a process of their own, for the tests and benchmarks of the live event stream:
``python -m tests.support.event_changes <action> …`` in a deployment's environment, as a
``manage.py`` command or a Celery worker would make them (through the container's use cases, so
the events are the ones production logs).

Actions (each prints what the caller needs, one line):

- ``create NAME`` → the new location's id (somewhere at random)
- ``rename ID NAME``, ``delete ID``
- ``account USERNAME`` → ``<user id> <token>``
- ``rule OWNER_ID LOCATION_ID``: a rule that the next refresh crosses (temperature above -90)
- ``refresh LOCATION_ID``: a refresh by a fake provider (no network) → ``weather.refreshed``,
  then ``alert.raised`` for every rule it crosses
- ``purge``: the retention purge of every event logged so far
- ``bulk COUNT BYTES``: COUNT ``weather.refreshed`` events of about BYTES each, straight into the
  log (a large backlog for a slow client)
"""

from __future__ import annotations

import os
import random
import sys
import uuid
from datetime import timedelta

from application.requesters import Requester


def main(action: str, *args: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "server_config.settings")
    import django

    django.setup()
    from dependency_injector import providers

    from application.use_cases.delete_location import DeleteLocationCommand
    from application.use_cases.refresh_location import RefreshLocationCommand
    from application.use_cases.register_location import RegisterLocationCommand
    from application.use_cases.update_location import UpdateLocationCommand
    from server_config.container import container

    match action, args:
        case "create", (name,):
            # Somewhere no other location is (two cannot share rounded coordinates).
            command = RegisterLocationCommand(
                name=name, latitude=random.uniform(-80, 80), longitude=random.uniform(-170, 170)
            )
            return str(container.register_location().execute(command).id)
        case "rename", (location_id, name):
            container.update_location().execute(
                UpdateLocationCommand(
                    location_id=uuid.UUID(location_id), name=name, requester=_staff()
                )
            )
            return "ok"
        case "delete", (location_id,):
            container.delete_location().execute(
                DeleteLocationCommand(location_id=uuid.UUID(location_id), requester=_staff())
            )
            return "ok"
        case "account", (username,):
            from django.contrib.auth import get_user_model
            from rest_framework.authtoken.models import Token

            user = get_user_model()._default_manager.create_user(username, password=None)
            return f"{user.pk} {Token.objects.create(user=user).key}"
        case "rule", (owner_id, location_id):
            from tests.support.builders import a_rule

            rule = a_rule(
                uuid.UUID(location_id),
                owner_id=owner_id,
                threshold=-90.0,
                created_at=container.clock().now(),
            )
            with container.unit_of_work() as uow:
                uow.alerts.add_rule(rule)
                uow.commit()
            return str(rule.id)
        case "refresh", (location_id,):
            from tests.support.fakes.providers import FakeWeatherProvider

            provider = FakeWeatherProvider(container.clock())
            with container.weather_providers.override(providers.Object([provider])):
                container.refresh_location().execute(RefreshLocationCommand(uuid.UUID(location_id)))
            return "ok"
        case "purge", ():
            later = container.clock().now() + timedelta(hours=1)
            return str(container.event_log().purge_older_than(later))
        case "bulk", (count, size):
            from django.utils import timezone

            from adapters.persistence.models import OutboxEvent

            ids = [str(uuid.uuid4()) for _ in range(max(int(size) // 39, 1))]
            now = timezone.now()
            OutboxEvent.objects.bulk_create(
                (
                    OutboxEvent(
                        type="weather.refreshed",
                        data={"location_ids": ids, "provider": "bulk", "refreshed_at": "x"},
                        location_ids=[],
                        created_at=now,
                    )
                    for _ in range(int(count))
                ),
                batch_size=500,
            )
            return count
    raise SystemExit(f"unknown action: {action} {' '.join(args)}")


def _staff() -> Requester:

    return Requester(user_id=None, is_staff=True)


if __name__ == "__main__":
    print(main(*sys.argv[1:]))
