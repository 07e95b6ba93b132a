"""The `Notifier` port: tells an alert rule's owner that it was raised (a webhook POST)."""

from __future__ import annotations

from typing import Protocol

from domain.alerts import Alert


class DeliveryFailed(Exception):
    """The target did not accept the alert; the caller may retry later."""


class Notifier(Protocol):
    def deliver(self, alert: Alert, webhook_url: str) -> None:
        """Send `alert` to `webhook_url`, or raise `DeliveryFailed`."""
        ...
