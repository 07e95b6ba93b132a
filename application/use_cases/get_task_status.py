"""Ask how a queued task is doing."""

from __future__ import annotations

import attrs

from application.ports.task_queue import TaskQueue, TaskStatus


@attrs.frozen
class GetTaskStatusQuery:
    task_id: str


class GetTaskStatus:
    def __init__(self, tasks: TaskQueue) -> None:
        self._tasks = tasks

    def execute(self, query: GetTaskStatusQuery) -> TaskStatus:
        return self._tasks.status(query.task_id)
