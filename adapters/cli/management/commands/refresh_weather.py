"""``refresh_weather [--location ID] [--sync]``: refresh one location, or every one.

Without ``--sync`` the refresh is queued for a worker (the same tasks the API queues) and the task
id is printed; with ``--sync`` the refresh pipeline runs here (`RefreshLocation`, or `RefreshAll`:
the same plan and batches as the queued refresh-all) and its result is printed, in the JSON form
the application gives it, which is also what the task stores.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from dependency_injector.wiring import Provide, inject
from django.core.management.base import CommandParser

from adapters.cli.arguments import location_id
from adapters.cli.base_command import CliCommand
from application.use_cases.refresh_all import RefreshAll, RefreshAllCommand
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from application.use_cases.request_refresh import (
    RequestLocationRefresh,
    RequestLocationRefreshCommand,
    RequestRefreshAll,
    RequestRefreshAllCommand,
)


class Command(CliCommand):
    help = "Refresh the current weather and forecasts of one location, or of every location."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--location", type=location_id, help="the location's id (default: every location)"
        )
        parser.add_argument(
            "--sync", action="store_true", help="run here and wait, instead of queueing a task"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target: uuid.UUID | None = options["location"]
        if options["sync"]:
            self.stdout.write(json.dumps(refresh_now(target), sort_keys=True))
        else:
            self.stdout.write(queue_refresh(target))


@inject
def queue_refresh(
    target: uuid.UUID | None,
    one: RequestLocationRefresh = Provide["request_location_refresh"],
    every: RequestRefreshAll = Provide["request_refresh_all"],
) -> str:
    if target is None:
        return every.execute(RequestRefreshAllCommand()).task_id
    return one.execute(RequestLocationRefreshCommand(target)).task_id


@inject
def refresh_now(
    target: uuid.UUID | None,
    one: RefreshLocation = Provide["refresh_location"],
    every: RefreshAll = Provide["refresh_all"],
) -> dict[str, object]:
    if target is None:
        return every.execute(RefreshAllCommand()).to_json()
    return one.execute(RefreshLocationCommand(target)).to_json()
