"""The Django unit of work keeps the same promises as the in-memory one, on both databases."""

from __future__ import annotations

import pytest

from adapters.persistence.events.log import DjangoEventLog
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.message_bus import MessageBus
from application.ports.event_log import EventLog
from application.ports.unit_of_work import UnitOfWork
from tests.integration.persistence.conftest import DATABASES
from tests.support.unit_of_work_contract import UnitOfWorkContract


@pytest.mark.django_db(databases=DATABASES)
class TestDjangoUnitOfWorkKeepsTheContract(UnitOfWorkContract):
    @pytest.fixture(autouse=True)
    def _database(self, alias: str) -> None:
        self.alias = alias

    def make_uow(self, bus: MessageBus | None = None) -> UnitOfWork:
        return DjangoUnitOfWork(self.alias, bus=bus)

    def event_log_of(self, uow: UnitOfWork) -> EventLog:
        return DjangoEventLog(self.alias)
