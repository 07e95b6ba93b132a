"""`PurgeEvents` drops the live events older than the retention, and only those."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.events import LocationCreated
from application.use_cases.purge_events import PurgeEvents, PurgeEventsCommand
from domain.locations import Coordinates
from tests.support.builders import NOW, a_location
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.event_log import InMemoryEventLog
from tests.support.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork


def logged_at(store: InMemoryStore, clock: FakeClock, hours_ago: list[int]) -> list[int]:
    """One event per entry, logged that many hours before NOW; their ids."""
    for n, hours in enumerate(hours_ago):
        clock.set(NOW - timedelta(hours=hours))
        place = a_location(coordinates=Coordinates(n, n))
        with InMemoryUnitOfWork(store) as uow:
            uow.locations.add(place)
            uow.record(LocationCreated(place.id))
            uow.commit()
    clock.set(NOW)
    return [event.id for event in store.events.events]


def test_the_events_older_than_the_retention_are_purged_and_the_log_says_so() -> None:
    clock = FakeClock(NOW)
    store = InMemoryStore(events=InMemoryEventLog(clock))
    ids = logged_at(store, clock, [30, 25, 23, 1])

    result = PurgeEvents(store.events, clock).execute(PurgeEventsCommand(timedelta(hours=24)))

    assert result.purged == 2
    assert result.older_than == NOW - timedelta(hours=24)
    assert [event.id for event in store.events.after(0, limit=10)] == ids[2:]
    assert not store.events.is_kept(ids[0])  # a stream resuming from there gets `reset`
    assert store.events.is_kept(ids[1])
    assert result.to_json() == {"purged": 2, "older_than": "2026-11-23T14:00:00Z"}


def test_a_second_purge_at_the_same_time_finds_nothing() -> None:
    clock = FakeClock(NOW)
    store = InMemoryStore(events=InMemoryEventLog(clock))
    logged_at(store, clock, [48, 2])
    purge = PurgeEvents(store.events, clock)

    assert purge.execute(PurgeEventsCommand(timedelta(hours=24))).purged == 1
    assert purge.execute(PurgeEventsCommand(timedelta(hours=24))).purged == 0


@pytest.mark.parametrize("retention", [timedelta(0), timedelta(hours=-1)])
def test_the_retention_must_be_positive(retention: timedelta) -> None:
    with pytest.raises(ValueError, match="positive"):
        PurgeEventsCommand(retention)
