"""Queue a history backfill of one location, to run in a worker."""

from __future__ import annotations

import uuid
from datetime import date

import attrs

from application.lookups import require_location
from application.ports.clock import Clock
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_date_range
from application.results.tasks import TaskTicket
from application.use_cases.backfill_history import check_not_after_today


@attrs.frozen(kw_only=True)
class RequestBackfillCommand:
    """The location's local dates, as `BackfillHistoryCommand`'s."""

    location_id: uuid.UUID
    start: date
    end: date


class RequestBackfill:
    """Checks the range and the location before queueing, so mistakes surface as 400/404.

    With a `clock`, dates after the location's today are refused here too, with the very check
    the worker's `BackfillHistory` makes; without one (a composition root that does not pass it
    yet) only the range is checked, and the worker refuses a future date when the task runs.
    """

    def __init__(self, uow: UnitOfWork, tasks: TaskQueue, clock: Clock | None = None) -> None:
        self._uow = uow
        self._tasks = tasks
        self._clock = clock

    def execute(self, command: RequestBackfillCommand) -> TaskTicket:
        check_date_range(command.start, command.end)
        with self._uow as uow:
            location = require_location(uow, command.location_id)
        if self._clock is not None:
            check_not_after_today(
                command.start, command.end, location=location, now=self._clock.now()
            )
        return TaskTicket(
            self._tasks.enqueue_backfill(command.location_id, command.start, command.end)
        )
