"""The core's own wiring, written once for production and the tests: `bootstrap_unit_of_work`.

A unit of work of the core hands what it committed to a message bus of its own, on which the
core's reactions are subscribed (`event_handlers.py`): alert rules evaluated on stored readings,
webhook deliveries queued for raised alerts. The container's `unit_of_work` provider
(`server_config/container.py`) calls this with the Django unit of work, so every process gets
its units of work from here; the unit tests call it with the in-memory fakes
(`tests/support/core.py`). A test's core therefore reacts to its events as production's does,
and a reaction added here reaches both. What differs between them (the storage, the clock, the
task queue) comes in as arguments; nothing here knows a framework or the container.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from application.event_handlers import EvaluateRulesOnStoredReadings, QueueWebhookDelivery
from application.events import AlertRaised, ObservationsStored
from application.message_bus import MessageBus
from application.ports.clock import Clock
from application.ports.task_queue import TaskQueue
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.evaluate_alert_rules import EvaluateAlertRules

U = TypeVar("U", bound=UnitOfWork)
U_co = TypeVar("U_co", bound=UnitOfWork, covariant=True)


class Storage(Protocol[U_co]):
    """Builds a storage's unit of work whose committed events go to `bus`."""

    def __call__(self, *, bus: MessageBus) -> U_co: ...


def bootstrap_unit_of_work(
    storage: Storage[U], *, clock: Clock, tasks: TaskQueue, bus: MessageBus | None = None
) -> U:
    """A unit of work of `storage` on a bus of its own (`bus`, when the caller wants to watch
    it), with the core's reactions subscribed.

    The alert rules are evaluated in that same unit of work: it hands its events over only once
    its block has ended, so a handler never nests in the block that caused it."""
    bus = MessageBus() if bus is None else bus
    uow = storage(bus=bus)
    bus.subscribe(ObservationsStored, EvaluateRulesOnStoredReadings(EvaluateAlertRules(uow, clock)))
    bus.subscribe(AlertRaised, QueueWebhookDelivery(tasks))
    return uow
