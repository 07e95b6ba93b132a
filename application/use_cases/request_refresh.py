"""Queue a refresh of one location, or of all of them, to run in a worker."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_location
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.results.tasks import TaskTicket


@attrs.frozen
class RequestLocationRefreshCommand:
    location_id: uuid.UUID


class RequestLocationRefresh:
    """Refuses unknown locations now (404) rather than queueing a task bound to fail."""

    def __init__(self, uow: UnitOfWork, tasks: TaskQueue) -> None:
        self._uow = uow
        self._tasks = tasks

    def execute(self, command: RequestLocationRefreshCommand) -> TaskTicket:
        with self._uow as uow:
            require_location(uow, command.location_id)
        return TaskTicket(self._tasks.enqueue_refresh_location(command.location_id))


@attrs.frozen
class RequestRefreshAllCommand:
    """No parameters: the worker refreshes whatever is stored when it runs."""


class RequestRefreshAll:
    def __init__(self, tasks: TaskQueue) -> None:
        self._tasks = tasks

    def execute(self, command: RequestRefreshAllCommand) -> TaskTicket:
        return TaskTicket(self._tasks.enqueue_refresh_all())
