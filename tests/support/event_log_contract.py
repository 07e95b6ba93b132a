"""The promises every `EventLog` keeps, as a reusable test suite: reads after an id, the newest
id, and the retention purge with what it remembers (`is_kept`).

Subclass `EventLogContract` and implement `make_store()`: a unit of work over a fresh, empty store
and the event log its commits write. `tests/unit/test_in_memory_event_log.py` does it for the
fakes and `tests/integration/persistence/test_event_log_contract.py` for the Django adapters. The
events are written as production writes them, by committing units of work.
"""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

from application.events import LocationCreated, WeatherRefreshed
from application.ports.event_log import EventLog
from application.ports.unit_of_work import UnitOfWork
from domain.locations import Coordinates
from tests.support.builders import a_location

_places = itertools.count(1)


class EventLogContract:
    def make_store(self) -> tuple[UnitOfWork, EventLog]:
        raise NotImplementedError

    def written(self, uow: UnitOfWork, log: EventLog, count: int) -> list[int]:
        """`count` events, each the commit of a new location; their ids, read back."""
        latest = log.latest_id()
        with uow:
            for _ in range(count):
                n = next(_places)
                place = a_location(coordinates=Coordinates(n % 89, n % 179))
                uow.locations.add(place)
                uow.record(LocationCreated(place.id))
                uow.commit()
        return [event.id for event in log.after(latest, limit=count)]

    def test_an_empty_log_has_nothing_after_zero_and_keeps_everything(self) -> None:
        _, log = self.make_store()
        assert list(log.after(0, limit=10)) == []
        assert log.latest_id() == 0
        assert log.is_kept(0)
        assert log.purge_older_than(datetime.now(UTC) + timedelta(days=1)) == 0

    def test_events_come_after_an_id_in_ascending_order_up_to_the_limit(self) -> None:
        uow, log = self.make_store()
        ids = self.written(uow, log, 5)

        assert len(ids) == 5
        assert ids == sorted(ids)
        assert [e.id for e in log.after(0, limit=2)] == ids[:2]
        assert [e.id for e in log.after(ids[1], limit=10)] == ids[2:]
        assert list(log.after(ids[-1], limit=10)) == []
        assert log.latest_id() == ids[-1]

    def test_the_purge_drops_what_is_older_and_remembers_how_far_it_went(self) -> None:
        uow, log = self.make_store()
        old = self.written(uow, log, 3)
        time.sleep(0.02)
        cut = datetime.now(UTC)
        time.sleep(0.02)
        new = self.written(uow, log, 2)

        assert log.purge_older_than(cut) == 3

        assert [e.id for e in log.after(0, limit=10)] == new
        assert log.latest_id() == new[-1]
        assert log.is_kept(old[-1])  # whoever saw the last purged event missed nothing
        assert not log.is_kept(old[-2])
        assert not log.is_kept(0)
        assert log.is_kept(new[0])
        assert log.purge_older_than(cut) == 0

    def test_after_purging_everything_the_ids_go_on_from_the_newest(self) -> None:
        uow, log = self.make_store()
        ids = self.written(uow, log, 2)

        assert log.purge_older_than(datetime.now(UTC) + timedelta(seconds=1)) == 2

        assert list(log.after(0, limit=10)) == []
        assert log.latest_id() == ids[-1]
        assert log.is_kept(ids[-1])
        assert not log.is_kept(ids[0])
        later = self.written(uow, log, 1)
        assert later[0] > ids[-1]
        assert log.latest_id() == later[0]

    def test_an_event_is_read_back_as_it_was_logged(self) -> None:
        uow, log = self.make_store()
        place = a_location()
        with uow:
            uow.locations.add(place)
            uow.record(WeatherRefreshed((place.id,), "open-meteo"))
            uow.commit()

        (event,) = log.after(0, limit=10)

        assert event.type == "weather.refreshed"
        assert event.location_ids == (place.id,)
        assert event.owner_id is None
        assert event.data["location_ids"] == [str(place.id)]
        assert event.created_at.utcoffset() == timedelta(0)
