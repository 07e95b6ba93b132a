"""Evaluate the active alert rules of a batch's locations against the readings it stored.

Runs in reaction to `ObservationsStored`, once per stored batch: one unit of work, one query for
the rules of every location of the batch, one write for the rules whose memory moved and one
for the alerts raised, one commit, whatever the number of readings and rules. Each alert raised
records an `AlertRaised`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict

import attrs

from application.events import AlertRaised
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertResult
from domain.alerts import Alert, AlertRule
from domain.observations import Observation


@attrs.frozen
class EvaluateAlertRulesCommand:
    observations: tuple[Observation, ...]


@attrs.frozen
class EvaluateAlertRulesResult:
    alerts: tuple[AlertResult, ...]


class EvaluateAlertRules:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, command: EvaluateAlertRulesCommand) -> EvaluateAlertRulesResult:
        # Oldest first: a rule ignores a reading older than one it has already seen.
        readings = sorted(command.observations, key=lambda reading: reading.observed_at)
        if not readings:
            return EvaluateAlertRulesResult(())
        raised_at = self._clock.now()
        with self._uow as uow:
            rules: defaultdict[uuid.UUID, list[AlertRule]] = defaultdict(list)
            for rule in uow.alerts.active_rules_for_locations(
                {reading.location_id for reading in readings}
            ):
                rules[rule.location_id].append(rule)
            moved: dict[uuid.UUID, AlertRule] = {}
            alerts: list[Alert] = []
            for reading in readings:
                for rule in rules[reading.location_id]:
                    memory = (rule.is_crossed, rule.last_observed_at)
                    alert = rule.evaluate(reading, raised_at=raised_at)
                    if (rule.is_crossed, rule.last_observed_at) != memory:
                        moved[rule.id] = rule
                    if alert is not None:
                        alerts.append(alert)
                        uow.record(AlertRaised(alert=alert, webhook_url=rule.webhook_url))
            if moved:
                uow.alerts.update_rule_memories(list(moved.values()))
            if alerts:
                uow.alerts.add_alerts(alerts)
            uow.commit()
        return EvaluateAlertRulesResult(tuple(AlertResult.from_domain(alert) for alert in alerts))
