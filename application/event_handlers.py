"""What the application does when its own events happen, and the one call that wires it.

ObservationStored → evaluate the location's alert rules → AlertRaised → queue the webhook
delivery (a worker runs `DeliverAlert`, with retries, so a slow webhook never blocks a refresh).
"""

from __future__ import annotations

from application.events import AlertRaised, ObservationStored
from application.message_bus import MessageBus
from application.ports.clock import Clock
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.evaluate_alert_rules import (
    EvaluateAlertRules,
    EvaluateAlertRulesCommand,
)


class EvaluateRulesOnNewReading:
    def __init__(self, evaluate: EvaluateAlertRules) -> None:
        self._evaluate = evaluate

    def __call__(self, event: ObservationStored) -> None:
        self._evaluate.execute(EvaluateAlertRulesCommand(event.observation))


class QueueWebhookDelivery:
    def __init__(self, tasks: TaskQueue) -> None:
        self._tasks = tasks

    def __call__(self, event: AlertRaised) -> None:
        if event.webhook_url is not None:
            self._tasks.enqueue_alert_delivery(event.alert.id)


def subscribe_core_handlers(
    bus: MessageBus, *, uow: UnitOfWork, clock: Clock, tasks: TaskQueue
) -> None:
    """Subscribe the application's own reactions; adapters may subscribe more (cache drops)."""
    bus.subscribe(ObservationStored, EvaluateRulesOnNewReading(EvaluateAlertRules(uow, clock, bus)))
    bus.subscribe(AlertRaised, QueueWebhookDelivery(tasks))
