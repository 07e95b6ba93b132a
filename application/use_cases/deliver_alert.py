"""Send a raised alert to its rule's webhook (what the delivery task runs)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import attrs

from application.ports.notifier import DeliveryRefused, Notifier
from application.ports.unit_of_work import UnitOfWork
from domain.alerts import Alert
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
    alone. The network call happens outside any transaction.

    Two ways to fail, told apart because only one is worth a retry: a target that cannot take the
    alert now raises `DeliveryFailed` and leaves the alert as it was, so the task can retry; a
    target the deployment refuses (`DeliveryRefused`: the rule's host now resolves to a private
    address, say) is final, so the alert records why (`Alert.delivery_error`) before the error is
    raised again for the task to fail at once.
    """

    def __init__(self, uow: UnitOfWork, notifier: Notifier) -> None:
        self._uow = uow
        self._notifier = notifier

    def execute(self, command: DeliverAlertCommand) -> DeliverAlertResult:
        with self._uow as uow:
            alert = uow.alerts.get_alert(command.alert_id)
            if alert is None:
                raise NotFound("Alert {id} was not found.", id=command.alert_id)
            rule = uow.alerts.get_rule(alert.rule_id)
        webhook_url = rule.webhook_url if rule is not None else None
        if alert.delivered or webhook_url is None:
            return DeliverAlertResult(alert_id=alert.id, delivered=alert.delivered)
        try:
            self._notifier.deliver(alert, webhook_url)
        except DeliveryRefused as refused:
            reason = refused.message
            self._record(alert.id, lambda stored: stored.mark_undeliverable(reason))
            raise
        self._record(alert.id, Alert.mark_delivered)
        return DeliverAlertResult(alert_id=alert.id, delivered=True)

    def _record(self, alert_id: uuid.UUID, change: Callable[[Alert], None]) -> None:
        with self._uow as uow:
            stored = uow.alerts.get_alert(alert_id)
            if stored is not None:
                change(stored)
                uow.alerts.update_alert(stored)
                uow.commit()
