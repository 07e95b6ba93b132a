"""Evaluate the active rules of a location against a newly stored reading.

Runs in reaction to `ObservationStored`; raises `AlertRaised` for each rule the reading crossed.
"""

from __future__ import annotations

import attrs

from application.events import AlertRaised
from application.message_bus import MessageBus
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertResult
from domain.observations import Observation


@attrs.frozen
class EvaluateAlertRulesCommand:
    observation: Observation


@attrs.frozen
class EvaluateAlertRulesResult:
    alerts: tuple[AlertResult, ...]


class EvaluateAlertRules:
    def __init__(self, uow: UnitOfWork, clock: Clock, bus: MessageBus) -> None:
        self._uow = uow
        self._clock = clock
        self._bus = bus

    def execute(self, command: EvaluateAlertRulesCommand) -> EvaluateAlertRulesResult:
        reading = command.observation
        raised: list[AlertRaised] = []
        with self._uow as uow:
            for rule in uow.alerts.active_rules_for_location(reading.location_id):
                memory = (rule.is_crossed, rule.last_observed_at)
                alert = rule.evaluate(reading, raised_at=self._clock.now())
                if (rule.is_crossed, rule.last_observed_at) != memory:
                    uow.alerts.update_rule(rule)
                if alert is not None:
                    uow.alerts.add_alert(alert)
                    raised.append(AlertRaised(alert=alert, webhook_url=rule.webhook_url))
            uow.commit()
        self._bus.publish(*raised)
        return EvaluateAlertRulesResult(tuple(AlertResult.from_domain(e.alert) for e in raised))
