"""Readiness checks that django-health-check does not ship in the form this project needs."""

from __future__ import annotations

import dataclasses
import datetime
import os
from typing import Any

from health_check.base import HealthCheck
from health_check.checks import Database as LibraryDatabase
from health_check.exceptions import ServiceUnavailable
from kombu import Connection


@dataclasses.dataclass
class Database(LibraryDatabase):
    """The library's ``SELECT 1`` on a fresh connection, with the project's timeout (not 5 s)."""

    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=3), repr=False
    )


@dataclasses.dataclass
class Broker(HealthCheck):
    """Connects to the Celery broker with a short timeout and closes the connection again.

    The library's RabbitMQ check speaks AMQP only; this one goes through kombu, so it checks
    whatever ``CELERY_BROKER_URL`` names, including the embedded filesystem broker, whose
    "connection" is its folders.
    """

    url: str = dataclasses.field(repr=False)
    transport_options: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)
    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=3), repr=False
    )

    def run(self) -> None:
        seconds = self.timeout.total_seconds()
        connection = Connection(
            self.url, connect_timeout=seconds, transport_options=self.transport_options
        )
        try:
            connection.ensure_connection(
                max_retries=1, interval_start=0, timeout=max(1, round(seconds))
            )
        except Exception as error:
            raise ServiceUnavailable(_reason(error)) from None
        finally:
            connection.release()
        if connection.transport_cls == "filesystem":
            self._check_folders()

    def _check_folders(self) -> None:
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            folder = self.transport_options.get(key)
            if folder and not os.access(folder, os.W_OK | os.X_OK):
                raise ServiceUnavailable(f"broker folder {folder} is missing or not writable")


def _reason(error: BaseException) -> str:
    """A short reason that never carries the broker URL (it may hold a password)."""
    reason = str(error).strip() or type(error).__name__
    return reason.splitlines()[0][:200]
