"""Refreshing one location: fallback, atomicity, no duplicates, and the events of its batch."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.events import ForecastsReplaced, ObservationsStored, WeatherRefreshed
from application.ports.providers import WeatherReport
from application.refresh.chain import ProviderChain
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from domain.errors import AllProvidersUnavailable, NotFound, StorageUnavailable
from domain.forecasts import DailyForecast, HourlyForecast
from domain.locations import Coordinates, Location
from tests.support.builders import NOW, a_location
from tests.support.core import Core, a_core
from tests.support.fakes.providers import FakeWeatherProvider
from tests.support.fakes.repositories import InMemoryForecastRepository


def refresh(core: Core, location: Location, providers: Sequence[FakeWeatherProvider] = ()) -> str:
    use_case = RefreshLocation(core.pipeline(providers))
    return use_case.execute(RefreshLocationCommand(location.id)).provider


def test_refresh_stores_current_weather_and_both_forecasts_from_the_first_provider() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    assert refresh(core, location) == "open-meteo"
    latest = core.store.observations.latest(location.id)
    assert latest is not None
    assert (latest.provider, latest.temperature) == ("open-meteo", 18.5)
    assert core.store.forecasts.hourly(location.id) is not None
    assert core.store.forecasts.daily(location.id) is not None
    assert core.fallback.calls == []
    assert core.published(WeatherRefreshed) == [
        WeatherRefreshed(location_ids=(location.id,), provider="open-meteo")
    ]


def test_a_refresh_records_one_event_of_each_kind_for_its_batch() -> None:
    core = a_core()
    location = a_location()
    core.add(location)

    result = RefreshLocation(core.pipeline()).execute(RefreshLocationCommand(location.id))

    latest = core.store.observations.latest(location.id)
    assert latest is not None
    assert result.to_json() == {
        "location_id": str(location.id),
        "provider": "open-meteo",
        "observations_stored": 1,
    }
    assert core.events == [
        ObservationsStored(location_ids=(location.id,), count=1, observations=(latest,)),
        ForecastsReplaced(location_ids=(location.id,), provider="open-meteo"),
        WeatherRefreshed(location_ids=(location.id,), provider="open-meteo"),
    ]


def test_refresh_falls_back_to_the_next_provider_and_records_which_answered() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.provider.fail()
    assert refresh(core, location) == "met-norway"
    latest = core.store.observations.latest(location.id)
    assert latest is not None
    assert latest.provider == "met-norway"


def test_refresh_keeps_last_observation_when_every_provider_fails() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    refresh(core, location)
    before = core.store.observations.latest(location.id)
    core.clock.advance(timedelta(hours=1))
    core.provider.fail("timed out")
    core.fallback.fail("503")
    with pytest.raises(AllProvidersUnavailable) as raised:
        refresh(core, location)
    assert [f.provider for f in raised.value.failures] == ["open-meteo", "met-norway"]
    assert core.store.observations.latest(location.id) == before


def test_refreshing_an_unknown_location_is_not_found_and_asks_no_provider() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        refresh(core, a_location())
    assert core.provider.calls == []


class BrokenDailyForecasts(InMemoryForecastRepository):
    def save_many(self, hourly: Sequence[HourlyForecast], daily: Sequence[DailyForecast]) -> None:
        super().save_many(hourly, [])  # the hourly ones are written, then the disk is full
        if daily:
            raise StorageUnavailable("disk full")


def test_refresh_never_stores_half_a_result() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.store.forecasts = BrokenDailyForecasts()
    with pytest.raises(StorageUnavailable):
        refresh(core, location)
    assert core.store.observations.latest(location.id) is None
    assert core.store.forecasts.hourly(location.id) is None
    assert core.events == []


class AnswersForSomewhereElse(FakeWeatherProvider):
    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        return [
            WeatherReport(location_id=uuid.uuid4(), current=None, hourly=None, daily=None)
            for _ in locations
        ]


def test_a_provider_answering_for_other_locations_counts_as_unavailable() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    confused = AnswersForSomewhereElse(core.clock, name="confused")
    assert refresh(core, location, [confused, core.fallback]) == "met-norway"


class ChangesWhileAnswering(FakeWeatherProvider):
    """Deletes or moves the first location it is asked about before it answers."""

    def __init__(self, core: Core, *, move: bool) -> None:
        super().__init__(core.clock)
        self.core = core
        self.move = move

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        with self.core.uow as uow:
            if self.move:
                moved = uow.locations.get(locations[0].id)
                assert moved is not None
                moved.coordinates = Coordinates(1.0, 2.0)
                uow.locations.update(moved)
            else:
                uow.locations.remove(locations[0].id)
            uow.commit()
        return super().fetch(locations)


@pytest.mark.parametrize("move", [False, True], ids=["deleted", "moved"])
def test_a_location_deleted_or_moved_while_the_provider_answers_keeps_nothing(
    move: bool,
) -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    result = RefreshLocation(core.pipeline([ChangesWhileAnswering(core, move=move)])).execute(
        RefreshLocationCommand(location.id)
    )
    assert result.observations_stored == 0
    assert core.store.observations.rows == {}
    assert core.store.forecasts.hourly_rows == {}
    assert core.events == []


def test_a_provider_chain_needs_a_provider() -> None:
    with pytest.raises(ValueError, match="at least one"):
        ProviderChain([])


def test_refetching_the_same_reading_records_nothing_new_but_the_refresh() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    refresh(core, location)
    refresh(core, location)
    assert len(core.published(ObservationsStored)) == 1
    assert len(core.published(ForecastsReplaced)) == 2
    assert len(core.published(WeatherRefreshed)) == 2
    assert len(core.store.observations.rows) == 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8))
def test_refreshing_repeatedly_never_duplicates_a_reading(minutes_between: list[int]) -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    quarters = set()
    for minutes in minutes_between:
        core.clock.advance(timedelta(minutes=minutes))
        refresh(core, location)
        now = core.clock.now()
        quarters.add(now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0))
    stored = [r.observed_at for r in core.store.observations.rows.values()]
    assert sorted(stored) == sorted(quarters)


def test_refresh_stamps_readings_in_utc_at_the_providers_instant() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.clock.advance(timedelta(minutes=7))
    refresh(core, location)
    latest = core.store.observations.latest(location.id)
    assert latest is not None
    assert latest.observed_at == NOW
    assert latest.fetched_at == NOW + timedelta(minutes=7)
