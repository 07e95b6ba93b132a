"""Create an alert rule for the caller."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertRuleResult
from domain.alerts import AlertRule, Metric, Operator, check_webhook_url
from domain.errors import InvalidInput


@attrs.frozen(kw_only=True)
class CreateAlertRuleCommand:
    owner_id: str
    location_id: uuid.UUID
    metric: Metric | str
    operator: Operator | str
    threshold: float
    webhook_url: str | None = None
    active: bool = True


class CreateAlertRule:
    """`allow_private_webhooks` is the deployment's `ALERT_WEBHOOK_ALLOW_PRIVATE`."""

    def __init__(self, uow: UnitOfWork, clock: Clock, *, allow_private_webhooks: bool) -> None:
        self._uow = uow
        self._clock = clock
        self._allow_private = allow_private_webhooks

    def execute(self, command: CreateAlertRuleCommand) -> AlertRuleResult:
        if command.webhook_url:
            check_webhook_url(command.webhook_url, allow_private=self._allow_private)
        rule = AlertRule(
            owner_id=command.owner_id,
            location_id=command.location_id,
            metric=command.metric,
            operator=command.operator,
            threshold=command.threshold,
            webhook_url=command.webhook_url,
            active=command.active,
            created_at=self._clock.now(),
        )
        with self._uow as uow:
            if uow.locations.get(command.location_id) is None:
                raise InvalidInput("location_id", f"no location has id {command.location_id}.")
            uow.alerts.add_rule(rule)
            uow.commit()
        return AlertRuleResult.from_domain(rule)
