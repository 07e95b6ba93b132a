"""The result backend: django-celery-results' database backend, riding out a short outage.

A task's state is written when it starts, retries and ends. When the database blinks at that
moment, the library's backend gives up at once and the task's state is lost (the work itself was
done, or will be redone by the redelivery). Celery can retry backend operations
(``result_backend_always_retry``, with exponential backoff: settings ``CELERY_RESULT_BACKEND_*``)
for the exceptions a backend declares safe; this one declares a lost connection safe for the
writes made once a task has run (RETRY, SUCCESS, FAILURE). The STARTED write is not retried: it
comes before any work, and a task whose STARTED cannot be written goes back to the queue at once
(``tasks.py``) instead of holding its worker. Reads are not retried: they serve
``GET /api/v1/tasks/{id}/``, which must answer 503 at once rather than hold a request while the
database is away.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import states
from django.db import InterfaceError, OperationalError, connection
from django_celery_results.backends.database import DatabaseBackend


class DatabaseResultBackend(DatabaseBackend):  # type: ignore[misc]  # the library is untyped
    """`DatabaseBackend` whose writes are retried on a lost or refused database connection."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writing = threading.local()

    def store_result(self, task_id: str, result: Any, state: str, *args: Any, **kwargs: Any) -> Any:
        # STARTED is written before any work: rather than hold the worker in this retry loop, it
        # fails at once, and the task puts its message back in the queue (tasks.py).
        self._writing.active = state != states.STARTED
        try:
            return super().store_result(task_id, result, state, *args, **kwargs)
        finally:
            self._writing.active = False

    def exception_safe_to_retry(self, exc: Exception) -> bool:
        if getattr(self._writing, "active", False) and isinstance(
            exc, OperationalError | InterfaceError
        ):
            connection.close()  # the next attempt opens a new one
            return True
        return bool(super().exception_safe_to_retry(exc))
