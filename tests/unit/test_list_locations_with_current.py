"""Listing locations with their current weather (`include=current`): the same page as the plain
list, each location with its current weather exactly as `GetCurrentWeather` gives it, or none."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import timedelta

import pytest

from application.results.locations import LocationResult
from application.use_cases.get_current_weather import GetCurrentWeather, GetCurrentWeatherQuery
from application.use_cases.list_locations import (
    ListLocations,
    ListLocationsQuery,
    ListLocationsWithCurrentQuery,
)
from domain.errors import InvalidInput
from domain.locations import Coordinates, Location
from domain.observations import Observation
from domain.units import UnitSystem
from tests.support.builders import NOW, a_location, an_observation
from tests.support.core import Core, a_core
from tests.support.fakes.repositories import InMemoryObservationRepository


def places(core: Core, count: int) -> list[Location]:
    locations = [
        a_location(name=f"Place {index:02}", coordinates=Coordinates(10 + index / 100, 20))
        for index in range(count)
    ]
    core.add(*locations)
    return locations


@pytest.mark.parametrize("units", list(UnitSystem))
def test_each_location_has_its_current_weather_as_the_current_weather_read_gives_it(
    units: UnitSystem,
) -> None:
    core = a_core()
    samara = a_location()
    oslo = a_location(name="Oslo", coordinates=Coordinates(59.91, 10.75), timezone="Europe/Oslo")
    core.add(samara, oslo)
    core.add_observations(
        an_observation(samara.id, observed_at=NOW - timedelta(hours=1), temperature=1.0),
        an_observation(samara.id, temperature=-3.5, wind_speed=12.0, pressure=1013.0),
    )

    page = ListLocations(core.uow).execute(ListLocationsWithCurrentQuery(units=units))

    first, second = page.items
    assert (first.location, first.current) == (LocationResult.from_domain(oslo), None)
    assert second.location == LocationResult.from_domain(samara)
    current = GetCurrentWeather(core.uow).execute(
        GetCurrentWeatherQuery(location_id=samara.id, units=units)
    )
    assert second.current == current
    assert second.current is not None
    assert second.current.reading.observed_at == NOW


def test_the_page_is_the_plain_lists_page() -> None:
    core = a_core()
    places(core, 7)
    list_locations = ListLocations(core.uow)
    listing = ListLocationsQuery(search=" place ", page=2, page_size=3)

    plain = list_locations.execute(listing)
    with_current = list_locations.execute(ListLocationsWithCurrentQuery(listing=listing))

    assert [item.location for item in with_current.items] == list(plain.items)
    assert (with_current.count, with_current.page, with_current.page_size) == (7, 2, 3)
    assert all(item.current is None for item in with_current.items)


def test_latest_readings_are_read_once_for_the_whole_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    core = a_core()
    locations = places(core, 4)
    core.add_observations(*(an_observation(location.id) for location in locations[:2]))
    asked: list[set[uuid.UUID]] = []
    original = InMemoryObservationRepository.latest_many

    def recording(
        self: InMemoryObservationRepository, location_ids: Collection[uuid.UUID]
    ) -> Mapping[uuid.UUID, Observation]:
        asked.append(set(location_ids))
        return original(self, location_ids)

    monkeypatch.setattr(InMemoryObservationRepository, "latest_many", recording)

    page = ListLocations(core.uow).execute(
        ListLocationsWithCurrentQuery(listing=ListLocationsQuery(page_size=3))
    )

    assert asked == [{location.id for location in locations[:3]}]
    assert [item.current is not None for item in page.items] == [True, True, False]


def test_the_plain_list_reads_no_weather(monkeypatch: pytest.MonkeyPatch) -> None:
    core = a_core()
    places(core, 2)

    def refused(*args: object) -> None:
        raise AssertionError("the plain list read the weather")

    monkeypatch.setattr(InMemoryObservationRepository, "latest_many", refused)

    page = ListLocations(core.uow).execute(ListLocationsQuery())

    assert all(isinstance(item, LocationResult) for item in page.items)


def test_with_current_the_page_is_checked_as_the_plain_lists() -> None:
    with pytest.raises(InvalidInput) as raised:
        ListLocations(a_core().uow).execute(
            ListLocationsWithCurrentQuery(listing=ListLocationsQuery(page=0))
        )
    assert raised.value.field == "page"
