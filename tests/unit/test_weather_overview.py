"""The weather overview: a page of locations by name, each with its latest reading or none."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import timedelta

import pytest

from application.pagination import PageRequest
from application.results.locations import LocationResult
from application.use_cases.get_weather_overview import (
    GetWeatherOverview,
    GetWeatherOverviewQuery,
)
from domain.locations import Coordinates
from domain.observations import Observation
from domain.units import UnitSystem
from tests.support.builders import NOW, a_location, an_observation
from tests.support.core import a_core
from tests.support.fakes.repositories import InMemoryObservationRepository


def test_an_empty_store_gives_an_empty_first_page_in_metric() -> None:
    result = GetWeatherOverview(a_core().uow).execute(GetWeatherOverviewQuery())

    assert result.locations.items == ()
    assert result.locations.count == 0
    assert result.locations.page == 1
    assert result.unit_system is UnitSystem.METRIC
    assert result.units == UnitSystem.METRIC.labels


def test_each_location_comes_with_its_latest_reading_or_none_ordered_by_name() -> None:
    core = a_core()
    samara = a_location()
    oslo = a_location(name="Oslo", coordinates=Coordinates(59.91, 10.75), timezone="Europe/Oslo")
    core.add(samara, oslo)
    core.add_observations(
        an_observation(samara.id, observed_at=NOW - timedelta(hours=1), temperature=1.0),
        an_observation(
            samara.id,
            temperature=-3.5,
            weather_code=3,
            wind_speed=12.0,
            relative_humidity=81.0,
            provider="met-norway",
        ),
    )

    result = GetWeatherOverview(core.uow).execute(GetWeatherOverviewQuery())

    assert [item.location.name for item in result.locations.items] == ["Oslo", "Samara"]
    first, second = result.locations.items
    assert first.location == LocationResult.from_domain(oslo)
    assert first.reading is None
    assert second.reading is not None
    assert second.reading.observed_at == NOW
    assert second.reading.temperature == -3.5
    assert second.reading.condition == "Overcast"
    assert (second.reading.wind_speed, second.reading.relative_humidity) == (12.0, 81.0)
    assert second.reading.provider == "met-norway"


def test_imperial_converts_readings_and_names_the_units() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.add_observations(
        an_observation(location.id, temperature=20.0, wind_speed=16.09344, relative_humidity=50.0)
    )

    result = GetWeatherOverview(core.uow).execute(
        GetWeatherOverviewQuery(units=UnitSystem.IMPERIAL)
    )

    (item,) = result.locations.items
    assert item.reading is not None
    assert (item.reading.temperature, item.reading.wind_speed) == (68.0, 10.0)
    assert item.reading.relative_humidity == 50.0
    assert result.unit_system is UnitSystem.IMPERIAL
    assert result.units == UnitSystem.IMPERIAL.labels


def test_search_matches_part_of_the_name_whatever_the_case_and_blank_means_all() -> None:
    core = a_core()
    core.add(
        a_location(name="Paris", coordinates=Coordinates(48.85, 2.35)),
        a_location(name="Parma", coordinates=Coordinates(44.8, 10.33)),
        a_location(name="Samara"),
    )
    overview = GetWeatherOverview(core.uow)

    found = overview.execute(GetWeatherOverviewQuery(search="  PAR "))
    everything = overview.execute(GetWeatherOverviewQuery(search="   "))

    assert [item.location.name for item in found.locations.items] == ["Paris", "Parma"]
    assert found.locations.count == 2
    assert everything.locations.count == 3


def test_pages_follow_the_page_request_and_a_page_past_the_end_is_empty() -> None:
    core = a_core()
    core.add(
        *(
            a_location(name=f"Place {index:02}", coordinates=Coordinates(10 + index / 100, 20))
            for index in range(5)
        )
    )
    overview = GetWeatherOverview(core.uow)

    second = overview.execute(GetWeatherOverviewQuery(page=PageRequest(2, 2)))
    beyond = overview.execute(GetWeatherOverviewQuery(page=PageRequest(9, 2)))

    assert [item.location.name for item in second.locations.items] == ["Place 02", "Place 03"]
    assert (second.locations.count, second.locations.has_next) == (5, True)
    assert second.locations.has_previous
    assert (beyond.locations.items, beyond.locations.count) == ((), 5)


def test_latest_readings_are_read_once_for_the_whole_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    core = a_core()
    locations = [
        a_location(name=f"Place {index:02}", coordinates=Coordinates(10 + index / 100, 20))
        for index in range(4)
    ]
    core.add(*locations)
    core.add_observations(*(an_observation(location.id) for location in locations[:2]))
    asked: list[set[uuid.UUID]] = []
    original = InMemoryObservationRepository.latest_many

    def recording(
        self: InMemoryObservationRepository, location_ids: Collection[uuid.UUID]
    ) -> Mapping[uuid.UUID, Observation]:
        asked.append(set(location_ids))
        return original(self, location_ids)

    monkeypatch.setattr(InMemoryObservationRepository, "latest_many", recording)

    result = GetWeatherOverview(core.uow).execute(GetWeatherOverviewQuery(page=PageRequest(1, 3)))

    assert asked == [{location.id for location in locations[:3]}]
    readings = [item.reading is not None for item in result.locations.items]
    assert readings == [True, True, False]
