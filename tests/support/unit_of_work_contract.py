"""The promises every `UnitOfWork` and its repositories keep, as a reusable test suite.

Subclass `UnitOfWorkContract` and implement `make_uow()` (a fresh, empty store each time) and
`event_log_of()` (the event log its commits write: the outbox of the live events):
`tests/unit/test_in_memory_unit_of_work.py` does it for the fakes and
`tests/integration/persistence/test_unit_of_work_contract.py` for the Django adapters, so the fake
cannot drift from the real thing. The module holds no `Test*` class itself, so pytest collects
the suite only where it is subclassed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from application.events import (
    AlertRaised,
    Event,
    ForecastsReplaced,
    LocationCreated,
    LocationDeleted,
    LocationUpdated,
    ObservationsStored,
    WeatherRefreshed,
)
from application.message_bus import MessageBus
from application.pagination import PageRequest
from application.ports.event_log import EventLog, StoredEvent
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertResult
from application.results.locations import LocationResult
from domain.aggregation import summarize_daily
from domain.errors import Conflict
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import Coordinates
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_location, a_rule, an_observation


def listening() -> tuple[MessageBus, list[Event]]:
    """A bus, and the list of every location event it receives, in order."""
    bus, seen = MessageBus(), list[Event]()
    for event_type in (LocationCreated, LocationUpdated):
        bus.subscribe(event_type, seen.append)
    return bus, seen


def logged(log: EventLog) -> list[StoredEvent]:
    """Every event of the log, oldest first."""
    return list(log.after(0, limit=1000))


class UnitOfWorkContract:
    def make_uow(self, bus: MessageBus | None = None) -> UnitOfWork:
        """A unit of work over a fresh, empty store, handing its events to `bus`."""
        raise NotImplementedError

    def event_log_of(self, uow: UnitOfWork) -> EventLog:
        """The event log that `uow`'s commits write (its outbox)."""
        raise NotImplementedError

    # --- the outbox: what a commit logs for the live event stream --------------------------------

    def test_a_unit_left_without_committing_logs_no_event(self) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
            uow.record(LocationCreated(location.id))

        def crash_before_committing() -> None:
            with uow:
                uow.locations.add(location)
                uow.record(LocationCreated(location.id), WeatherRefreshed((location.id,), "x"))
                raise RuntimeError("crash")

        with pytest.raises(RuntimeError, match="crash"):
            crash_before_committing()
        with uow:
            uow.locations.add(location)
            uow.commit()  # the change alone, no event recorded
            uow.record(LocationUpdated(location.id))  # recorded after the commit: dropped
        log = self.event_log_of(uow)
        assert logged(log) == []
        assert log.latest_id() == 0

    def test_a_commit_logs_its_client_facing_events_in_order_with_their_data(self) -> None:
        uow = self.make_uow()
        location = a_location(created_by=OWNER)
        before = datetime.now(UTC) - timedelta(seconds=1)
        with uow:
            uow.locations.add(location)
            uow.record(LocationCreated(location.id))
            uow.commit()
        renamed = attrs.evolve(location, name="Renamed", updated_at=NOW + timedelta(minutes=1))
        rule = a_rule(location.id, threshold=0.0)
        alert = rule.evaluate(an_observation(location.id, temperature=5.0), raised_at=NOW)
        assert alert is not None
        with uow:
            uow.locations.update(renamed)
            uow.alerts.add_rule(rule)
            uow.alerts.add_alerts([alert])
            uow.record(
                LocationUpdated(location.id),
                ObservationsStored(location_ids=(location.id,), count=1, observations=()),
                ForecastsReplaced(location_ids=(location.id,), provider="open-meteo"),
                WeatherRefreshed((location.id,), "open-meteo"),
                AlertRaised(alert=alert, webhook_url=None),
            )
            uow.commit()
        with uow:
            uow.alerts.remove_for_location(location.id)
            uow.locations.remove(location.id)
            uow.record(LocationDeleted(location.id))
            uow.commit()
        after = datetime.now(UTC) + timedelta(seconds=1)

        events = logged(self.event_log_of(uow))
        assert [event.type for event in events] == [
            "location.created",
            "location.updated",
            "weather.refreshed",
            "alert.raised",
            "location.deleted",
        ]
        ids = [event.id for event in events]
        assert ids == sorted(set(ids))
        assert ids[0] > 0
        assert self.event_log_of(uow).latest_id() == ids[-1]
        created, updated, refreshed, raised, deleted = events
        assert created.data == LocationResult.from_domain(location).to_json()
        assert LocationResult.from_json(updated.data).name == "Renamed"
        assert refreshed.data["location_ids"] == [str(location.id)]
        assert refreshed.data["provider"] == "open-meteo"
        refreshed_at = str(refreshed.data["refreshed_at"])
        assert refreshed_at.endswith("Z")
        assert before < datetime.fromisoformat(refreshed_at) < after
        assert raised.data == AlertResult.from_domain(alert).to_json()
        assert deleted.data == {"location_id": str(location.id)}
        assert all(event.location_ids == (location.id,) for event in events)
        assert [event.owner_id for event in events] == [None, None, None, OWNER, None]
        assert all(before < event.created_at < after for event in events)
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)

    def test_a_location_deleted_in_the_unit_that_created_it_logs_only_the_deletion(
        self,
    ) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
            uow.record(LocationCreated(location.id))
            uow.locations.remove(location.id)
            uow.record(LocationDeleted(location.id))
            uow.commit()
        assert [event.type for event in logged(self.event_log_of(uow))] == ["location.deleted"]

    def test_readings_and_forecasts_alone_log_nothing(self) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
            uow.record(
                ObservationsStored(location_ids=(location.id,), count=0, observations=()),
                ForecastsReplaced(location_ids=(location.id,), provider="open-meteo"),
            )
            uow.commit()
        assert logged(self.event_log_of(uow)) == []

    def test_each_commit_logs_after_the_previous_ones(self) -> None:
        uow = self.make_uow()
        places = [a_location(coordinates=Coordinates(i, i)) for i in range(3)]
        with uow:
            for place in places:
                uow.locations.add(place)
                uow.record(LocationCreated(place.id))
                uow.commit()
            uow.record(WeatherRefreshed(tuple(p.id for p in places), "met-norway"))
            uow.commit()
        events = logged(self.event_log_of(uow))
        assert [event.location_ids for event in events] == [
            *((place.id,) for place in places),
            tuple(place.id for place in places),
        ]
        assert [event.id for event in events] == sorted(event.id for event in events)
        assert len({event.id for event in events}) == 4

    def test_nothing_persists_unless_committed(self) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
        with uow:
            assert uow.locations.get(location.id) is None
            uow.locations.add(location)
            uow.commit()
        with uow:
            assert uow.locations.get(location.id) == location

    def test_a_unit_left_without_committing_publishes_nothing(self) -> None:
        bus, seen = listening()
        uow = self.make_uow(bus)
        location = a_location()

        def register(*, then: Exception | None) -> None:
            with uow:
                uow.locations.add(location)
                uow.record(LocationCreated(location.id))
                if then is not None:
                    raise then

        register(then=None)  # left without a commit
        with pytest.raises(RuntimeError, match="crash"):
            register(then=RuntimeError("crash"))
        with uow:
            assert uow.locations.all() == []
        assert seen == []

    def test_a_committed_unit_publishes_its_events_once_after_its_block(self) -> None:
        bus, seen = listening()
        uow = self.make_uow(bus)
        location = a_location()
        with uow:
            uow.locations.add(location)
            uow.record(LocationCreated(location.id))
            uow.commit()
            assert seen == []  # committed, but handlers wait for the block to end
            uow.record(LocationUpdated(location.id))  # recorded after the commit: dropped
        assert seen == [LocationCreated(location.id)]
        with uow:
            pass
        assert seen == [LocationCreated(location.id)]

    def test_a_handler_runs_after_the_block_and_may_use_the_same_unit(self) -> None:
        bus = MessageBus()
        uow = self.make_uow(bus)
        location = a_location()
        found: list[object] = []

        def look(event: LocationCreated) -> None:
            with uow:
                found.append(uow.locations.get(event.location_id))

        bus.subscribe(LocationCreated, look)
        with uow:
            uow.locations.add(location)
            uow.record(LocationCreated(location.id))
            uow.commit()
        assert found == [location]

    def test_events_are_recorded_only_inside_the_block(self) -> None:
        uow = self.make_uow()
        with pytest.raises(RuntimeError):
            uow.record(LocationCreated(uuid.uuid4()))

    def test_locations_are_found_by_id_and_rounded_coordinates(self) -> None:
        uow = self.make_uow()
        location = a_location(coordinates=Coordinates(48.856613, 2.352222))
        with uow:
            uow.locations.add(location)
            assert uow.locations.get_by_coordinates(Coordinates(48.85661, 2.35222)) == location
            assert uow.locations.get_by_coordinates(Coordinates(0, 0)) is None

    def test_two_locations_cannot_share_coordinates(self) -> None:
        uow = self.make_uow()
        with uow:
            uow.locations.add(a_location(coordinates=Coordinates(1, 1)))
            with pytest.raises(Conflict):
                uow.locations.add(a_location(coordinates=Coordinates(1, 1)))

    def test_location_search_is_by_name_case_insensitive_and_by_country(self) -> None:
        uow = self.make_uow()
        with uow:
            for i, (name, country) in enumerate([("Paris", "FR"), ("paris", "US"), ("Lyon", "FR")]):
                uow.locations.add(
                    a_location(name=name, country_code=country, coordinates=Coordinates(i, i))
                )
            found = uow.locations.search(text="ARI", country_code=None, page=PageRequest())
            assert sorted(loc.country_code or "" for loc in found.items) == ["FR", "US"]
            french = uow.locations.search(text=None, country_code="FR", page=PageRequest(1, 1))
            assert (french.count, [loc.name for loc in french.items]) == (2, ["Lyon"])

    def test_an_updated_location_is_stored_and_a_removed_one_is_gone(self) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
            location.name = "Renamed"
            uow.locations.update(location)
            uow.commit()
        with uow:
            stored = uow.locations.get(location.id)
            assert stored is not None
            assert stored.name == "Renamed"
            uow.locations.remove(location.id)
            assert uow.locations.get(location.id) is None

    def test_a_location_keeps_who_registered_it_through_an_update(self) -> None:
        uow = self.make_uow()
        mine = a_location(created_by=OWNER)
        nobodys = a_location(coordinates=Coordinates(1, 1))
        with uow:
            uow.locations.add(mine)
            uow.locations.add(nobodys)
            mine.name = "Renamed"
            uow.locations.update(mine)
            uow.commit()
        with uow:
            found = uow.locations.get_many([mine.id, nobodys.id])
        assert (found[mine.id].created_by, found[nobodys.id].created_by) == (OWNER, None)
        assert found[mine.id].name == "Renamed"

    def test_observations_upsert_by_key_and_read_back_oldest_first(self) -> None:
        uow = self.make_uow()
        location = a_location()
        hours = [NOW + timedelta(hours=h) for h in (2, 0, 1, 3)]
        with uow:
            uow.locations.add(location)
            uow.observations.add_many(
                [an_observation(location.id, observed_at=at, temperature=1.0) for at in hours]
            )
            revised = an_observation(location.id, observed_at=NOW, temperature=2.0)
            uow.observations.add_many([revised])
            assert uow.observations.get_many([revised.key]) == {revised.key: revised}
            page = uow.observations.history(
                location.id, NOW, NOW + timedelta(hours=3), PageRequest(1, 2)
            )
            assert page.count == 3
            assert [r.observed_at for r in page.items] == [NOW, NOW + timedelta(hours=1)]
            everything = uow.observations.history(
                location.id, NOW, NOW + timedelta(hours=9), PageRequest()
            )
            assert [r.observed_at for r in everything.items] == sorted(hours)
            assert everything.items[0] == revised
            latest = uow.observations.latest(location.id)
            assert latest is not None
            assert latest.observed_at == NOW + timedelta(hours=3)
            uow.observations.remove_for_location(location.id)
            assert uow.observations.latest(location.id) is None

    def test_a_saved_forecast_replaces_the_previous_one(self) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
            for provider in ("first", "second"):
                uow.forecasts.save_many(
                    hourly=[
                        HourlyForecast(
                            location_id=location.id,
                            provider=provider,
                            fetched_at=NOW,
                            points=[HourlyPoint(time=NOW)],
                        )
                    ],
                    daily=[],
                )
            forecast = uow.forecasts.hourly(location.id)
            assert forecast is not None
            assert forecast.provider == "second"
            assert uow.forecasts.daily(location.id) is None
            uow.forecasts.remove_for_location(location.id)
            assert uow.forecasts.hourly(location.id) is None

    def test_rules_and_alerts_are_owner_scoped_and_ordered(self) -> None:
        uow = self.make_uow()
        location = a_location()
        with uow:
            uow.locations.add(location)
            mine = a_rule(location.id, threshold=0.0)
            inactive = a_rule(location.id, created_at=NOW + timedelta(minutes=1), active=False)
            theirs = a_rule(location.id, owner_id=OTHER_OWNER, threshold=0.0)
            for rule in (mine, inactive, theirs):
                uow.alerts.add_rule(rule)
            owned = uow.alerts.rules_of_owner(OWNER, PageRequest())
            assert [rule.id for rule in owned.items] == [mine.id, inactive.id]
            active = uow.alerts.active_rules_for_locations([location.id])
            assert {rule.id for rule in active} == {mine.id, theirs.id}
            raised = []
            for minutes, temperature in ((0, 1.0), (2, -1.0), (5, 1.0)):
                reading = an_observation(
                    location.id,
                    observed_at=NOW + timedelta(minutes=minutes),
                    temperature=temperature,
                )
                alert = mine.evaluate(reading, raised_at=reading.observed_at)
                if alert is not None:
                    raised.append(alert)
            uow.alerts.add_alerts(raised)
            alerts = uow.alerts.alerts_of_owner(
                OWNER, rule_id=mine.id, location_id=None, page=PageRequest()
            )
            assert [a.raised_at for a in alerts.items] == [NOW + timedelta(minutes=5), NOW]
            none = uow.alerts.alerts_of_owner(
                OTHER_OWNER, rule_id=None, location_id=None, page=PageRequest()
            )
            assert none.count == 0
            uow.alerts.remove_rule(mine.id)
            assert uow.alerts.get_rule(mine.id) is None
            assert uow.alerts.get_alert(alerts.items[0].id) is None
            uow.alerts.remove_for_location(location.id)
            assert uow.alerts.get_rule(theirs.id) is None

    def test_locations_are_found_in_batches_and_missing_ids_are_left_out(self) -> None:
        uow = self.make_uow()
        here, there = a_location(), a_location(coordinates=Coordinates(2, 2))
        with uow:
            uow.locations.add(here)
            uow.locations.add(there)
            found = uow.locations.get_many([here.id, there.id, a_location().id])
            assert found == {here.id: here, there.id: there}
            assert uow.locations.get_many([]) == {}

    def test_batches_of_readings_upsert_by_key_and_are_found_by_key(self) -> None:
        uow = self.make_uow()
        location = a_location()
        readings = [
            an_observation(location.id, observed_at=NOW + timedelta(hours=h), provider=provider)
            for h in range(5)
            for provider in ("open-meteo", "met-norway")
        ]
        with uow:
            uow.locations.add(location)
            uow.observations.add_many(readings)
            uow.observations.add_many(readings[:3])
            revised = an_observation(location.id, observed_at=NOW, temperature=7.0)
            uow.observations.add_many([revised])
            uow.commit()
        with uow:
            absent = an_observation(location.id, observed_at=NOW - timedelta(days=1))
            found = uow.observations.get_many([r.key for r in readings[1:4]] + [absent.key])
            assert found == {r.key: r for r in readings[1:4]}
            assert uow.observations.get_many([revised.key]) == {revised.key: revised}
            stored = uow.observations.history(
                location.id, NOW, NOW + timedelta(days=1), PageRequest()
            )
            assert stored.count == 10

    def test_forecasts_of_many_locations_are_replaced_at_once(self) -> None:
        uow = self.make_uow()
        places = [a_location(coordinates=Coordinates(i, i)) for i in range(3)]

        def hourly(place_id: uuid.UUID, provider: str) -> HourlyForecast:
            points = [HourlyPoint(time=NOW + timedelta(hours=h), temperature=h) for h in range(4)]
            return HourlyForecast(
                location_id=place_id, provider=provider, fetched_at=NOW, points=points
            )

        def daily(place_id: uuid.UUID, provider: str) -> DailyForecast:
            points = [DailyPoint(date=date(2026, 11, 24) + timedelta(days=d)) for d in range(3)]
            return DailyForecast(
                location_id=place_id, provider=provider, fetched_at=NOW, points=points
            )

        with uow:
            for place in places:
                uow.locations.add(place)
            uow.forecasts.save_many(
                hourly=[hourly(p.id, "old") for p in places],
                daily=[daily(p.id, "old") for p in places],
            )
            uow.forecasts.save_many(hourly=[hourly(p.id, "new") for p in places[:2]], daily=[])
            uow.commit()
        with uow:
            assert uow.forecasts.hourly(places[0].id) == hourly(places[0].id, "new")
            assert uow.forecasts.hourly(places[2].id) == hourly(places[2].id, "old")
            assert uow.forecasts.daily(places[1].id) == daily(places[1].id, "old")

    def test_daily_summaries_follow_the_local_calendar_across_a_dst_change(self) -> None:
        uow = self.make_uow()
        location = a_location(timezone="Europe/Paris")
        # 2026-10-25 in Paris is 25 hours long: clocks go back from 03:00 CEST to 02:00 CET.
        start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # local midnight of the 25th
        readings = [
            an_observation(
                location.id,
                observed_at=start + timedelta(hours=h),
                temperature=float(h % 7) - 2.5 if h % 5 else None,
                precipitation=0.25 * (h % 3) if h % 4 else None,
            )
            for h in range(-3, 52)
        ]
        with uow:
            uow.locations.add(location)
            uow.observations.add_many(readings)
            window = (start - timedelta(hours=3), start + timedelta(hours=52))
            summaries = uow.observations.daily_summaries(location.id, "Europe/Paris", *window)
        expected = summarize_daily(readings, "Europe/Paris")
        assert [s.date for s in summaries] == [s.date for s in expected]
        assert [s.observation_count for s in summaries] == [3, 25, 24, 3]
        for got, want in zip(summaries, expected, strict=True):
            assert got.observation_count == want.observation_count
            assert (got.temperature_min, got.temperature_max) == (
                want.temperature_min,
                want.temperature_max,
            )
            assert got.temperature_mean == pytest.approx(want.temperature_mean)
            assert got.precipitation_sum == pytest.approx(want.precipitation_sum)

    def test_the_latest_readings_of_many_locations_come_at_once(self) -> None:
        uow = self.make_uow()
        here, there, quiet = (a_location(coordinates=Coordinates(i, i)) for i in range(3))
        with uow:
            for place in (here, there, quiet):
                uow.locations.add(place)
            uow.observations.add_many(
                [
                    an_observation(place.id, observed_at=NOW + timedelta(hours=hours))
                    for hours, place in ((0, here), (2, here), (1, there))
                ]
            )
            newest_here = an_observation(
                here.id,
                observed_at=NOW + timedelta(hours=2),
                provider="met-norway",
                fetched_at=NOW + timedelta(hours=3),
            )
            uow.observations.add_many([newest_here])
            latest = uow.observations.latest_many([here.id, there.id, quiet.id])
            assert uow.observations.latest_many([]) == {}
        assert latest == {
            here.id: newest_here,
            there.id: an_observation(there.id, observed_at=NOW + timedelta(hours=1)),
        }

    def test_the_rules_of_a_batch_come_at_once_and_their_memories_and_alerts_go_at_once(
        self,
    ) -> None:
        uow = self.make_uow()
        here, there, elsewhere = (a_location(coordinates=Coordinates(i, i)) for i in range(3))
        first = a_rule(here.id, threshold=0.0)
        second = a_rule(there.id, threshold=0.0, created_at=NOW + timedelta(minutes=1))
        asleep = a_rule(there.id, active=False)
        away = a_rule(elsewhere.id)
        with uow:
            for place in (here, there, elsewhere):
                uow.locations.add(place)
            for rule in (second, first, asleep, away):
                uow.alerts.add_rule(rule)
            uow.commit()
        with uow:
            rules = uow.alerts.active_rules_for_locations({here.id, there.id})
            assert [rule.id for rule in rules] == [first.id, second.id]
            assert uow.alerts.active_rules_for_locations([]) == []
            readings = [an_observation(rule.location_id, temperature=5.0) for rule in rules]
            alerts = [
                alert
                for rule, reading in zip(rules, readings, strict=True)
                if (alert := rule.evaluate(reading, raised_at=NOW)) is not None
            ]
            rules[0].threshold = 40.0  # not a memory: not stored by update_rule_memories
            uow.alerts.update_rule_memories(rules)
            uow.alerts.add_alerts(alerts)
            uow.alerts.add_alerts([])
            uow.commit()
        with uow:
            stored = [uow.alerts.get_rule(rule.id) for rule in (first, second)]
            assert [(r.is_crossed, r.last_observed_at) for r in stored if r] == [(True, NOW)] * 2
            assert [r.threshold for r in stored if r] == [0.0, 0.0]
            assert [uow.alerts.get_alert(alert.id) for alert in alerts] == alerts
