"""A task queue that records what was queued; tests decide what each task's status is."""

from __future__ import annotations

import uuid
from datetime import date

import attrs

from application.ports.task_queue import TaskState, TaskStatus


@attrs.frozen
class QueuedTask:
    task_id: str
    name: str
    arguments: tuple[object, ...]


class FakeTaskQueue:
    def __init__(self) -> None:
        self.queued: list[QueuedTask] = []
        self.statuses: dict[str, TaskStatus] = {}

    def enqueue_refresh_location(self, location_id: uuid.UUID) -> str:
        return self._enqueue("refresh_location", location_id)

    def enqueue_refresh_all(self) -> str:
        return self._enqueue("refresh_all")

    def enqueue_backfill(self, location_id: uuid.UUID, start: date, end: date) -> str:
        return self._enqueue("backfill", location_id, start, end)

    def enqueue_alert_delivery(self, alert_id: uuid.UUID) -> str:
        return self._enqueue("deliver_alert", alert_id)

    def status(self, task_id: str) -> TaskStatus:
        return self.statuses.get(task_id, TaskStatus(task_id=task_id, state=TaskState.PENDING))

    def names(self) -> list[str]:
        return [task.name for task in self.queued]

    def _enqueue(self, name: str, *arguments: object) -> str:
        task_id = str(uuid.uuid4())
        self.queued.append(QueuedTask(task_id, name, arguments))
        return task_id
