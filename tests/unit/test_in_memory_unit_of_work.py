"""The in-memory unit of work keeps the port's promise: nothing persists unless committed."""

from __future__ import annotations

import pytest

from application.events import Event, LocationCreated
from application.message_bus import MessageBus
from application.ports.event_log import EventLog
from application.ports.unit_of_work import UnitOfWork
from domain.errors import Conflict
from domain.locations import Coordinates
from tests.support.builders import a_location
from tests.support.fakes.repositories import InMemoryLocationRepository
from tests.support.fakes.unit_of_work import InMemoryUnitOfWork
from tests.support.unit_of_work_contract import UnitOfWorkContract


class TestInMemoryUnitOfWorkKeepsTheContract(UnitOfWorkContract):
    def make_uow(self, bus: MessageBus | None = None) -> UnitOfWork:
        return InMemoryUnitOfWork(bus=bus)

    def event_log_of(self, uow: UnitOfWork) -> EventLog:
        assert isinstance(uow, InMemoryUnitOfWork)
        return uow.store.events


def test_changes_are_discarded_without_a_commit() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.locations.add(a_location())
    assert uow.store.locations.rows == {}


def test_committed_changes_persist_and_later_ones_are_discarded_with_the_block() -> None:
    uow = InMemoryUnitOfWork()
    location = a_location()
    with uow:
        uow.locations.add(location)
        uow.commit()
        uow.locations.remove(location.id)
    assert list(uow.store.locations.rows) == [location.id]
    assert uow.commits == 1


class FailsToCommit(InMemoryLocationRepository):
    """Its working copy cannot be committed once `armed`."""

    armed = False

    def snapshot(self) -> InMemoryLocationRepository:
        if self.armed:
            raise RuntimeError("out of memory")
        return super().snapshot()


def test_a_commit_that_fails_publishes_nothing() -> None:
    bus, seen = MessageBus(), list[Event]()
    bus.subscribe(LocationCreated, seen.append)
    uow = InMemoryUnitOfWork(bus=bus)
    uow.store.locations = FailsToCommit()
    location = a_location()
    with uow:
        uow.locations.add(location)
        uow.record(LocationCreated(location.id))
        uow.locations.armed = True  # type: ignore[attr-defined]
        with pytest.raises(RuntimeError, match="out of memory"):
            uow.commit()
    assert seen == []
    assert uow.store.locations.rows == {}


def test_mutating_an_entity_without_commit_leaves_the_stored_one_alone() -> None:
    uow = InMemoryUnitOfWork()
    location = a_location()
    with uow:
        uow.locations.add(location)
        uow.commit()
    with uow:
        loaded = uow.locations.get(location.id)
        assert loaded is not None
        loaded.name = "Changed"
    assert uow.store.locations.rows[location.id].name == "Samara"


def add_then_crash(uow: InMemoryUnitOfWork) -> None:
    with uow:
        uow.locations.add(a_location())
        raise RuntimeError("crash")


def test_an_exception_inside_the_block_discards_the_work() -> None:
    uow = InMemoryUnitOfWork()
    with pytest.raises(RuntimeError, match="crash"):
        add_then_crash(uow)
    assert uow.store.locations.rows == {}


def test_the_repositories_are_only_reachable_inside_the_block() -> None:
    uow = InMemoryUnitOfWork()
    with pytest.raises(RuntimeError):
        uow.locations.all()
    with uow, pytest.raises(RuntimeError), uow:
        pass


def test_the_location_store_refuses_two_locations_on_one_point_like_a_unique_index() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.locations.add(a_location(coordinates=Coordinates(1, 1)))
        with pytest.raises(Conflict):
            uow.locations.add(a_location(coordinates=Coordinates(1, 1)))


def test_committing_outside_a_block_is_a_mistake() -> None:
    with pytest.raises(RuntimeError):
        InMemoryUnitOfWork().commit()
