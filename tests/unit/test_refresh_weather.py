"""Refreshing one location or all of them: fallback, atomicity, batching, no duplicates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.in_memory.providers import FakeWeatherProvider
from adapters.in_memory.repositories import InMemoryForecastRepository
from application.events import ObservationStored, WeatherRefreshed
from application.ports.providers import WeatherReport
from application.use_cases.refresh_all_locations import (
    RefreshAllLocations,
    RefreshAllLocationsCommand,
)
from application.use_cases.refresh_weather import RefreshWeather, RefreshWeatherCommand
from application.weather_refresh import ProviderChain
from domain.errors import AllProvidersUnavailable, NotFound, StorageUnavailable
from domain.forecasts import DailyForecast
from domain.locations import Coordinates, Location
from tests.unit.builders import NOW, Core, a_core, a_location


def refresh(core: Core, location: Location, providers: Sequence[FakeWeatherProvider] = ()) -> str:
    use_case = RefreshWeather(core.uow, providers or core.providers, core.bus)
    return use_case.execute(RefreshWeatherCommand(location.id)).provider


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
    assert core.published(WeatherRefreshed) == [WeatherRefreshed((location.id,), "open-meteo")]


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
    def save_daily(self, forecast: DailyForecast) -> None:
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


class DeletesWhileAnswering(FakeWeatherProvider):
    def __init__(self, core: Core) -> None:
        super().__init__(core.clock)
        self.core = core

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        with self.core.uow as uow:
            uow.locations.remove(locations[0].id)
            uow.commit()
        return super().fetch(locations)


def test_a_location_deleted_while_the_provider_answers_keeps_nothing() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    refresh(core, location, [DeletesWhileAnswering(core)])
    assert core.store.observations.rows == {}
    assert core.events == []


def test_a_provider_chain_needs_a_provider() -> None:
    with pytest.raises(ValueError, match="at least one"):
        ProviderChain([])


def test_refetching_the_same_reading_publishes_nothing_new() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    refresh(core, location)
    refresh(core, location)
    assert len(core.published(ObservationStored)) == 1
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


def locations(count: int) -> list[Location]:
    return [a_location(name=f"Place {i}", coordinates=Coordinates(i, i)) for i in range(count)]


def test_refresh_all_asks_the_provider_in_batches_of_its_size() -> None:
    core = a_core(batch_size=2)
    places = locations(5)
    core.add(*places)
    result = RefreshAllLocations(core.uow, core.providers, core.bus).execute(
        RefreshAllLocationsCommand()
    )
    assert [len(call) for call in core.provider.calls] == [2, 2, 1]
    assert (result.locations_refreshed, result.batches, result.observations_stored) == (5, 3, 5)
    assert result.providers == ("open-meteo",) * 3
    assert result.failed_location_ids == ()


def test_refresh_all_cuts_batches_again_for_a_fallback_that_takes_fewer() -> None:
    core = a_core(batch_size=4)
    core.add(*locations(4))
    small = FakeWeatherProvider(core.clock, name="small", max_batch_size=3)
    core.provider.fail()
    result = RefreshAllLocations(core.uow, [core.provider, small], core.bus).execute(
        RefreshAllLocationsCommand()
    )
    assert [len(call) for call in small.calls] == [3, 1]
    assert result.providers == ("small",)


def test_refresh_all_stores_the_batches_it_could_and_reports_the_others() -> None:
    core = a_core(batch_size=2)
    places = locations(4)
    core.add(*places)
    core.provider.fail(for_locations=[places[0].id])
    core.fallback.fail(for_locations=[places[0].id])
    result = RefreshAllLocations(core.uow, core.providers, core.bus).execute(
        RefreshAllLocationsCommand()
    )
    assert set(result.failed_location_ids) == {places[0].id, places[1].id}
    assert result.locations_refreshed == 2
    assert core.store.observations.latest(places[2].id) is not None
    assert core.store.observations.latest(places[0].id) is None


def test_refresh_all_fails_when_no_batch_could_be_fetched() -> None:
    core = a_core()
    core.add(*locations(3))
    core.provider.fail()
    core.fallback.fail()
    with pytest.raises(AllProvidersUnavailable):
        RefreshAllLocations(core.uow, core.providers, core.bus).execute(
            RefreshAllLocationsCommand()
        )


def test_refresh_all_without_locations_does_nothing() -> None:
    core = a_core()
    result = RefreshAllLocations(core.uow, core.providers, core.bus).execute(
        RefreshAllLocationsCommand()
    )
    assert (result.batches, result.locations_refreshed) == (0, 0)
    assert core.provider.calls == []


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
