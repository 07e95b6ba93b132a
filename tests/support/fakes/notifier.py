"""A notifier that remembers what it delivered, and can be told to fail or to refuse targets.

Like the real one, it answers the `WebhookTargets` port with the decision its delivery takes: a
URL it was told to refuse is refused by `check` and, finally, by `deliver`.
"""

from __future__ import annotations

from application.ports.notifier import DeliveryFailed, DeliveryRefused
from domain.alerts import Alert

REFUSED = "webhook host resolves to a loopback or private address; refused"


class RecordingNotifier:
    def __init__(self) -> None:
        self.delivered: list[tuple[Alert, str]] = []
        self.attempts: list[tuple[Alert, str]] = []
        self.checked: list[str] = []
        self.refused: dict[str, str] = {}
        self._failure: str | None = None

    def fail(self, reason: str = "webhook answered 503") -> None:
        """Every delivery fails for the moment (`DeliveryFailed`) until `recover`."""
        self._failure = reason

    def recover(self) -> None:
        self._failure = None

    def refuse(self, url: str, reason: str = REFUSED) -> None:
        """`url` is not a target this deployment sends to, from now on."""
        self.refused[url] = reason

    def allow(self, url: str) -> None:
        self.refused.pop(url, None)

    def check(self, url: str) -> str | None:
        self.checked.append(url)
        return self.refused.get(url)

    def deliver(self, alert: Alert, webhook_url: str) -> None:
        self.attempts.append((alert, webhook_url))
        if webhook_url in self.refused:
            raise DeliveryRefused(self.refused[webhook_url])
        if self._failure is not None:
            raise DeliveryFailed(self._failure)
        self.delivered.append((alert, webhook_url))
