"""Send a raised alert to its rule's webhook (what the delivery task runs)."""

from __future__ import annotations

import uuid

import attrs

from application.ports.notifier import Notifier
from application.ports.unit_of_work import UnitOfWork
from domain.errors import NotFound


@attrs.frozen
class DeliverAlertCommand:
    alert_id: uuid.UUID


@attrs.frozen(kw_only=True)
class DeliverAlertResult:
    alert_id: uuid.UUID
    delivered: bool


class DeliverAlert:
    """Idempotent: an alert already delivered, or whose rule no longer has a webhook, is left
    alone. A refused delivery raises `DeliveryFailed` so the task can retry; the network call
    happens outside any transaction."""

    def __init__(self, uow: UnitOfWork, notifier: Notifier) -> None:
        self._uow = uow
        self._notifier = notifier

    def execute(self, command: DeliverAlertCommand) -> DeliverAlertResult:
        with self._uow as uow:
            alert = uow.alerts.get_alert(command.alert_id)
            if alert is None:
                raise NotFound("Alert", command.alert_id)
            rule = uow.alerts.get_rule(alert.rule_id)
        webhook_url = rule.webhook_url if rule is not None else None
        if alert.delivered or webhook_url is None:
            return DeliverAlertResult(alert_id=alert.id, delivered=alert.delivered)
        self._notifier.deliver(alert, webhook_url)
        with self._uow as uow:
            stored = uow.alerts.get_alert(alert.id)
            if stored is not None:
                stored.mark_delivered()
                uow.alerts.update_alert(stored)
                uow.commit()
        return DeliverAlertResult(alert_id=alert.id, delivered=True)
