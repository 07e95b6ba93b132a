"""Queue a backfill of the last N days of several locations, one task per location.

What an operator means by "the last 7 days" depends on where the place is: the days are each
location's own calendar days, today included, as `BackfillHistory` counts them (its "today" is
the location's). So the same request gives Kiritimati and Los Angeles different dates at the same
instant, and neither asks the archive for a day that has not begun there.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import attrs

from application.ports.clock import Clock
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.ranges import MAX_RANGE_DAYS
from domain.aggregation import local_date
from domain.errors import InvalidInput, NotFound


@attrs.frozen(kw_only=True)
class RequestRecentBackfillCommand:
    location_ids: tuple[uuid.UUID, ...]
    days: int
    """1 to 366 (the longest range any backfill takes), today included."""


@attrs.frozen(kw_only=True)
class QueuedBackfill:
    location_id: uuid.UUID
    location_name: str
    start: date
    end: date
    task_id: str


@attrs.frozen
class RequestRecentBackfillResult:
    queued: tuple[QueuedBackfill, ...]


def check_days(days: int) -> None:
    """Shared with the adapters' forms, so the operator reads the very rule the core applies."""
    if isinstance(days, bool) or not 1 <= days <= MAX_RANGE_DAYS:
        raise InvalidInput(
            "days", "must be a whole number from 1 to {maximum}.", maximum=MAX_RANGE_DAYS
        )


class RequestRecentBackfill:
    """Every location is looked up before anything is queued: an unknown id (deleted meanwhile)
    refuses the whole request instead of leaving half of it queued."""

    def __init__(self, uow: UnitOfWork, tasks: TaskQueue, clock: Clock) -> None:
        self._uow = uow
        self._tasks = tasks
        self._clock = clock

    def execute(self, command: RequestRecentBackfillCommand) -> RequestRecentBackfillResult:
        check_days(command.days)
        ids = tuple(dict.fromkeys(command.location_ids))  # once each, in the order given
        with self._uow as uow:
            found = uow.locations.get_many(ids)
        for location_id in ids:
            if location_id not in found:
                raise NotFound("Location {id} was not found.", id=location_id)
        now = self._clock.now()
        queued = []
        for location_id in ids:
            location = found[location_id]
            end = local_date(now, location.timezone)
            start = end - timedelta(days=command.days - 1)
            task_id = self._tasks.enqueue_backfill(location_id, start, end)
            queued.append(
                QueuedBackfill(
                    location_id=location_id,
                    location_name=location.name,
                    start=start,
                    end=end,
                    task_id=task_id,
                )
            )
        return RequestRecentBackfillResult(tuple(queued))
