"""Queue a history backfill of one location, to run in a worker."""

from __future__ import annotations

import uuid
from datetime import date

import attrs

from application.lookups import require_location
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_date_range
from application.results.tasks import TaskTicket


@attrs.frozen(kw_only=True)
class RequestBackfillCommand:
    location_id: uuid.UUID
    start: date
    end: date


class RequestBackfill:
    """Checks the range and the location before queueing, so mistakes surface as 400/404."""

    def __init__(self, uow: UnitOfWork, tasks: TaskQueue) -> None:
        self._uow = uow
        self._tasks = tasks

    def execute(self, command: RequestBackfillCommand) -> TaskTicket:
        check_date_range(command.start, command.end)
        with self._uow as uow:
            require_location(uow, command.location_id)
        return TaskTicket(
            self._tasks.enqueue_backfill(command.location_id, command.start, command.end)
        )
