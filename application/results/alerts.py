"""Results describing alert rules and raised alerts (thresholds and values in metric units)."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from domain.alerts import Alert, AlertRule, Metric, Operator


@attrs.frozen(kw_only=True)
class AlertRuleResult:
    id: uuid.UUID
    location_id: uuid.UUID
    metric: Metric
    operator: Operator
    threshold: float
    webhook_url: str | None
    active: bool
    created_at: datetime

    @classmethod
    def from_domain(cls, rule: AlertRule) -> AlertRuleResult:
        return cls(
            id=rule.id,
            location_id=rule.location_id,
            metric=rule.metric,
            operator=rule.operator,
            threshold=rule.threshold,
            webhook_url=rule.webhook_url,
            active=rule.active,
            created_at=rule.created_at,
        )


@attrs.frozen(kw_only=True)
class AlertResult:
    id: uuid.UUID
    rule_id: uuid.UUID
    location_id: uuid.UUID
    metric: Metric
    operator: Operator
    value: float
    threshold: float
    observed_at: datetime
    raised_at: datetime
    delivered: bool

    @classmethod
    def from_domain(cls, alert: Alert) -> AlertResult:
        return cls(
            id=alert.id,
            rule_id=alert.rule_id,
            location_id=alert.location_id,
            metric=alert.metric,
            operator=alert.operator,
            value=alert.value,
            threshold=alert.threshold,
            observed_at=alert.observed_at,
            raised_at=alert.raised_at,
            delivered=alert.delivered,
        )
