"""What the application does when its own events happen (`bootstrap.py` subscribes them).

ObservationsStored (one per stored batch) → evaluate the alert rules of the batch's locations,
all in one unit of work → AlertRaised (one per alert) → queue the webhook delivery (a worker runs
`DeliverAlert`, with retries, so a slow webhook never blocks a refresh).

The other events (`application/events.py`) are client-facing: nothing here handles them.
"""

from __future__ import annotations

from application.events import AlertRaised, ObservationsStored
from application.ports.task_queue import TaskQueue
from application.use_cases.evaluate_alert_rules import (
    EvaluateAlertRules,
    EvaluateAlertRulesCommand,
)


class EvaluateRulesOnStoredReadings:
    def __init__(self, evaluate: EvaluateAlertRules) -> None:
        self._evaluate = evaluate

    def __call__(self, event: ObservationsStored) -> None:
        self._evaluate.execute(EvaluateAlertRulesCommand(event.observations))


class QueueWebhookDelivery:
    def __init__(self, tasks: TaskQueue) -> None:
        self._tasks = tasks

    def __call__(self, event: AlertRaised) -> None:
        if event.webhook_url is not None:
            self._tasks.enqueue_alert_delivery(event.alert.id)
