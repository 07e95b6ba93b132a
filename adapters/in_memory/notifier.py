"""A notifier that remembers what it delivered, and can be told to refuse."""

from __future__ import annotations

from application.ports.notifier import DeliveryFailed
from domain.alerts import Alert


class RecordingNotifier:
    def __init__(self) -> None:
        self.delivered: list[tuple[Alert, str]] = []
        self._failure: str | None = None

    def fail(self, reason: str = "webhook answered 503") -> None:
        self._failure = reason

    def recover(self) -> None:
        self._failure = None

    def deliver(self, alert: Alert, webhook_url: str) -> None:
        if self._failure is not None:
            raise DeliveryFailed(self._failure)
        self.delivered.append((alert, webhook_url))
