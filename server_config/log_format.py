"""How a log line looks: the console layout and the JSON object (``LOG_FORMAT``).

Both carry one timestamp and the correlation id of the request (or of the request that queued the
task) on every line, ``-`` outside any. The JSON object holds only JSON values: the ``extra`` that
Django attaches to its request lines (the ``HttpRequest``, the server's socket) would otherwise
reach a log pipeline as ``"<socket.socket fd=…>"``; of a request only its method and path are kept.

``settings.LOGGING`` names these classes; Celery's processes apply the same configuration (see
``server_config/celery.py``), and ``make run``'s supervisor prints its own lines the same way.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.json import JsonFormatter

#: The layout of a console line (``LOG_FORMAT=console``).
CONSOLE_FORMAT = "%(asctime)s %(levelname)-7s [%(correlation_id)s] %(name)s: %(message)s"
NO_CORRELATION_ID = "-"

_JSON_VALUES = (str, int, float, bool, type(None), list, dict)
_TASK_FIELDS = frozenset({"task_id", "parent_task_id"})  # present only inside a task


def utc_timestamp(created: float) -> str:
    """ISO 8601 in UTC with a ``Z``, to the millisecond, as the API writes instants."""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class ConsoleFormatter(logging.Formatter):
    """The console layout; a line outside any request or task says ``[-]``, not ``[None]``."""

    def __init__(self, fmt: str = CONSOLE_FORMAT, **kwargs: Any) -> None:
        super().__init__(fmt, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = NO_CORRELATION_ID
        return super().format(record)


class UtcJsonFormatter(JsonFormatter):
    """One JSON object per line: ``time`` (UTC, ``Z``), ``level``, ``logger``, ``message``,
    ``request_id`` and, in a task, ``task_id``; then the JSON-able ``extra`` the call gave."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(message)s"
        )
        kwargs.setdefault(
            "rename_fields",
            {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
                "celery_current_id": "task_id",
                "celery_parent_id": "parent_task_id",
            },
        )
        super().__init__(**kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_timestamp(record.created)

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        method, path = getattr(request, "method", None), getattr(request, "path", None)
        if isinstance(method, str) and isinstance(path, str):
            log_data["method"], log_data["path"] = method, path
        for name, value in list(log_data.items()):
            if not isinstance(value, _JSON_VALUES) or (name in _TASK_FIELDS and value is None):
                del log_data[name]
