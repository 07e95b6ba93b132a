"""Results describing alert rules and raised alerts (thresholds and values in metric units)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

import attrs

from application.results import json_values
from domain.alerts import Alert, AlertRule, Metric, Operator
from domain.errors import InvalidInput

JSON = dict[str, object]


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

    def to_json(self) -> JSON:
        """Its JSON form (ids as strings, enums as their values, instants in ISO 8601 UTC with
        `Z`), as an `alert.raised` event of the live stream carries it; `from_json` gives back an
        equal result."""
        return {
            "id": str(self.id),
            "rule_id": str(self.rule_id),
            "location_id": str(self.location_id),
            "metric": self.metric.value,
            "operator": self.operator.value,
            "value": self.value,
            "threshold": self.threshold,
            "observed_at": json_values.instant(self.observed_at),
            "raised_at": json_values.instant(self.raised_at),
            "delivered": self.delivered,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> AlertResult:
        """The result whose `to_json` gave `data`; `InvalidInput` for anything else."""
        try:
            delivered = data["delivered"]
            if not isinstance(delivered, bool):
                raise TypeError(f"delivered is {delivered!r}")
            return cls(
                id=uuid.UUID(json_values.text(data["id"])),
                rule_id=uuid.UUID(json_values.text(data["rule_id"])),
                location_id=uuid.UUID(json_values.text(data["location_id"])),
                metric=Metric(json_values.text(data["metric"])),
                operator=Operator(json_values.text(data["operator"])),
                value=json_values.number(data["value"]),
                threshold=json_values.number(data["threshold"]),
                observed_at=json_values.parse_instant(data["observed_at"]),
                raised_at=json_values.parse_instant(data["raised_at"]),
                delivered=delivered,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                "alert", "is not an alert's JSON form ({error!r}).", error=error
            ) from None
