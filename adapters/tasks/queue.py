"""The `TaskQueue` port over Celery: queue a task by name, read its state from the result backend.

Tasks are sent by name (``send_task``) so that queueing needs nothing but the broker: the web
process never imports the task code, and a task's signature lives in one place (``tasks.py``).
States are Celery's own names, which the port and the contract share. A failed task's error is
stored as `TaskFailed` with a readable message (see ``errors.py``), shown as is.

A broker that cannot be reached is the domain's `QueueUnavailable` (503 on the API, exit 1 on the
command line), raised after one quick retry: the connection timeout and publish retry policy in
the settings bound how long a request waits for a dead or silent broker.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from celery import Celery, current_app
from celery.result import AsyncResult
from kombu.exceptions import OperationalError as KombuOperationalError

from adapters.tasks.errors import TaskFailed
from application.ports.task_queue import TaskState, TaskStatus
from domain.errors import QueueUnavailable

logger = logging.getLogger(__name__)

REFRESH_LOCATION = "weather.refresh_location"
REFRESH_ALL = "weather.refresh_all"
BACKFILL_HISTORY = "weather.backfill_history"
DELIVER_ALERT = "weather.deliver_alert"
# Internal steps of REFRESH_ALL's fan-out (never queued through the port).
REFRESH_BATCH = "weather.refresh_batch"
REFRESH_ALL_GATHER = "weather.refresh_all_gather"

_STATES = {state.value: state for state in TaskState}


class CeleryTaskQueue:
    def __init__(self, app: Celery | None = None) -> None:
        self._app = app

    @property
    def app(self) -> Celery:
        return self._app if self._app is not None else current_app

    def enqueue_refresh_location(self, location_id: uuid.UUID) -> str:
        return self._send(REFRESH_LOCATION, str(location_id))

    def enqueue_refresh_all(self) -> str:
        return self._send(REFRESH_ALL)

    def enqueue_backfill(self, location_id: uuid.UUID, start: date, end: date) -> str:
        return self._send(BACKFILL_HISTORY, str(location_id), start.isoformat(), end.isoformat())

    def enqueue_alert_delivery(self, alert_id: uuid.UUID) -> str:
        return self._send(DELIVER_ALERT, str(alert_id))

    def status(self, task_id: str) -> TaskStatus:
        result: AsyncResult[Any] = AsyncResult(task_id, app=self.app)
        # Celery's RECEIVED/REVOKED/REJECTED have no name in the contract: the nearest one.
        state = _STATES.get(result.state) or (
            TaskState.FAILURE if result.state in ("REVOKED", "REJECTED") else TaskState.PENDING
        )
        if state in (TaskState.FAILURE, TaskState.RETRY):
            # RETRY carries the error that made the task retry; FAILURE the one it gave up on.
            return TaskStatus(task_id=task_id, state=state, error=_error_text(result.result))
        payload = result.result if state is TaskState.SUCCESS else None
        return TaskStatus(task_id=task_id, state=state, result=_json_mapping(payload))

    def _send(self, name: str, *args: Any) -> str:
        try:
            return str(self.app.send_task(name, args=args).id)
        except (KombuOperationalError, OSError) as error:
            logger.warning("Could not queue %s: the broker is unavailable (%s)", name, error)
            raise QueueUnavailable(
                "The task queue cannot be reached right now ({error}).", error=error
            ) from error


def _error_text(error: object) -> str:
    if isinstance(error, TaskFailed):
        return str(error)
    if isinstance(error, BaseException):
        return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return str(error) if error is not None else "The task failed."


def _json_mapping(payload: object) -> Mapping[str, object] | None:
    return payload if isinstance(payload, dict) else None
