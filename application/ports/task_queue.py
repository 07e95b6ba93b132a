"""The `TaskQueue` port: work that runs later, in a worker, and how to ask after it.

Task ids are opaque strings; states are Celery's names because the contract exposes them.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Protocol

import attrs


class TaskState(enum.StrEnum):
    PENDING = "PENDING"
    STARTED = "STARTED"
    RETRY = "RETRY"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


@attrs.frozen(kw_only=True)
class TaskStatus:
    """Where a task stands; `result` is its JSON-able return value once it succeeded."""

    task_id: str
    state: TaskState
    result: Mapping[str, object] | None = None
    error: str | None = None


class TaskQueue(Protocol):
    def enqueue_refresh_location(self, location_id: uuid.UUID) -> str: ...

    def enqueue_refresh_all(self) -> str: ...

    def enqueue_backfill(self, location_id: uuid.UUID, start: date, end: date) -> str: ...

    def enqueue_alert_delivery(self, alert_id: uuid.UUID) -> str: ...

    def status(self, task_id: str) -> TaskStatus:
        """The task's state; unknown ids are `PENDING`, as a queue cannot tell them apart."""
        ...
