"""The in-memory event log keeps the `EventLog` port's promises, as the Django one does."""

from __future__ import annotations

from application.ports.event_log import EventLog
from application.ports.unit_of_work import UnitOfWork
from tests.support.event_log_contract import EventLogContract
from tests.support.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork


class TestInMemoryEventLogKeepsTheContract(EventLogContract):
    def make_store(self) -> tuple[UnitOfWork, EventLog]:
        store = InMemoryStore()
        return InMemoryUnitOfWork(store), store.events
