"""Change some (PATCH) or all (PUT) writable fields of one of the caller's alert rules."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_owned_rule
from application.partial import UNSET, Unset, updated
from application.ports.notifier import WebhookTargets
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertRuleResult
from application.use_cases.create_alert_rule import acceptable_webhook_url
from domain.alerts import Metric, Operator
from domain.errors import InvalidInput


@attrs.frozen(kw_only=True)
class UpdateAlertRuleCommand:
    """Fields left `UNSET` keep their value; `webhook_url=None` removes the webhook."""

    owner_id: str
    rule_id: uuid.UUID
    location_id: uuid.UUID | Unset = UNSET
    metric: Metric | str | Unset = UNSET
    operator: Operator | str | Unset = UNSET
    threshold: float | Unset = UNSET
    webhook_url: str | Unset | None = UNSET
    active: bool | Unset = UNSET


class UpdateAlertRule:
    """A changed condition (location, metric, operator or threshold) starts with a clean slate:
    the next reading beyond the new threshold raises, even if the old one was crossed."""

    def __init__(self, uow: UnitOfWork, *, webhook_targets: WebhookTargets) -> None:
        self._uow = uow
        self._webhook_targets = webhook_targets

    def execute(self, command: UpdateAlertRuleCommand) -> AlertRuleResult:
        webhook_url = command.webhook_url
        if not isinstance(webhook_url, Unset):
            webhook_url = acceptable_webhook_url(self._webhook_targets, webhook_url)
        with self._uow as uow:
            rule = require_owned_rule(uow, command.owner_id, command.rule_id)
            location_id = updated(command.location_id, rule.location_id)
            if location_id != rule.location_id and uow.locations.get(location_id) is None:
                raise InvalidInput("location_id", "no location has id {id}.", id=location_id)
            rule.redefine(
                location_id=location_id,
                metric=updated(command.metric, rule.metric),
                operator=updated(command.operator, rule.operator),
                threshold=updated(command.threshold, rule.threshold),
            )
            rule.webhook_url = updated(webhook_url, rule.webhook_url)
            rule.active = updated(command.active, rule.active)
            uow.alerts.update_rule(rule)
            uow.commit()
        return AlertRuleResult.from_domain(rule)
