"""Create an alert rule for the caller."""

from __future__ import annotations

import uuid

import attrs

from application.ports.clock import Clock
from application.ports.notifier import WebhookTargets
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertRuleResult
from domain.alerts import AlertRule, Metric, Operator
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
    """`webhook_targets` decides which webhooks are acceptable, as the delivery does (resolving
    the host, refusing private networks unless the deployment's `ALERT_WEBHOOK_ALLOW_PRIVATE`)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, *, webhook_targets: WebhookTargets) -> None:
        self._uow = uow
        self._clock = clock
        self._webhook_targets = webhook_targets

    def execute(self, command: CreateAlertRuleCommand) -> AlertRuleResult:
        webhook_url = acceptable_webhook_url(self._webhook_targets, command.webhook_url)
        rule = AlertRule(
            owner_id=command.owner_id,
            location_id=command.location_id,
            metric=command.metric,
            operator=command.operator,
            threshold=command.threshold,
            webhook_url=webhook_url,
            active=command.active,
            created_at=self._clock.now(),
        )
        with self._uow as uow:
            if uow.locations.get(command.location_id) is None:
                raise InvalidInput(
                    "location_id", "no location has id {id}.", id=command.location_id
                )
            uow.alerts.add_rule(rule)
            uow.commit()
        return AlertRuleResult.from_domain(rule)


def acceptable_webhook_url(targets: WebhookTargets, value: str | None) -> str | None:
    """`value` as a rule stores it (stripped; blank is none), refused as the `webhook_url` field
    when the deployment would not deliver to it. Asked outside any transaction: resolving the
    host may take a while."""
    url = value.strip() if isinstance(value, str) else value
    if not url:
        return None
    refusal = targets.check(url)
    if refusal is not None:
        raise InvalidInput("webhook_url", refusal)
    return url
