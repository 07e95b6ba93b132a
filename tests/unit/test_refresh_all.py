"""Refreshing every location in one process: provider-sized batches, each stored on its own."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from application.events import ObservationsStored, WeatherRefreshed
from application.use_cases.refresh_all import RefreshAll, RefreshAllCommand
from domain.errors import AllProvidersUnavailable
from domain.locations import Coordinates, Location
from tests.support.builders import a_location, a_rule
from tests.support.core import Core, a_core
from tests.support.fakes.providers import FakeWeatherProvider


def locations(count: int) -> list[Location]:
    return [a_location(name=f"Place {i}", coordinates=Coordinates(i, i)) for i in range(count)]


def refresh_all(core: Core, providers: Sequence[FakeWeatherProvider] = ()) -> dict[str, object]:
    return RefreshAll(core.pipeline(providers)).execute(RefreshAllCommand()).to_json()


def test_refresh_all_asks_the_provider_in_batches_of_its_size() -> None:
    core = a_core(batch_size=2)
    places = locations(5)
    core.add(*places)
    result = refresh_all(core)
    assert [len(call) for call in core.provider.calls] == [2, 2, 1]
    assert result == {
        "locations_refreshed": 5,
        "observations_stored": 5,
        "batches": 3,
        "providers": ["open-meteo"] * 3,
        "failed_location_ids": [],
    }


def test_each_batch_records_one_event_of_each_kind() -> None:
    core = a_core(batch_size=2)
    places = sorted(locations(5), key=lambda place: place.name)
    core.add(*places)
    refresh_all(core)
    stored = core.published(ObservationsStored)
    assert [event.location_ids for event in stored] == [  # type: ignore[attr-defined]
        (places[0].id, places[1].id),
        (places[2].id, places[3].id),
        (places[4].id,),
    ]
    assert len(core.published(WeatherRefreshed)) == 3


def test_the_alert_rules_of_a_batch_are_evaluated_in_one_unit_of_work() -> None:
    core = a_core(batch_size=3)
    places = locations(3)
    core.add(*places)
    for place in places:
        core.add_rule(a_rule(place.id, threshold=10.0))  # the fake reads 18.5 °C
    commits = core.uow.commits

    refresh_all(core)

    assert len(core.store.alerts.alerts) == 3
    assert core.uow.commits - commits == 2  # the batch's readings, then its rules and alerts


def test_refresh_all_cuts_batches_again_for_a_fallback_that_takes_fewer() -> None:
    core = a_core(batch_size=4)
    core.add(*locations(4))
    small = FakeWeatherProvider(core.clock, name="small", max_batch_size=3)
    core.provider.fail()
    result = refresh_all(core, [core.provider, small])
    assert [len(call) for call in small.calls] == [3, 1]
    assert result["providers"] == ["small"]


def test_refresh_all_stores_the_batches_it_could_and_reports_the_others() -> None:
    core = a_core(batch_size=2)
    places = sorted(locations(4), key=lambda place: place.name)
    core.add(*places)
    core.provider.fail(for_locations=[places[0].id])
    core.fallback.fail(for_locations=[places[0].id])
    result = refresh_all(core)
    assert result["failed_location_ids"] == [str(places[0].id), str(places[1].id)]
    assert result["locations_refreshed"] == 2
    assert core.store.observations.latest(places[2].id) is not None
    assert core.store.observations.latest(places[0].id) is None


def test_refresh_all_fails_when_no_batch_could_be_fetched() -> None:
    core = a_core()
    core.add(*locations(3))
    core.provider.fail()
    core.fallback.fail()
    with pytest.raises(AllProvidersUnavailable):
        refresh_all(core)


def test_refresh_all_without_locations_does_nothing() -> None:
    core = a_core()
    result = refresh_all(core)
    assert (result["batches"], result["locations_refreshed"]) == (0, 0)
    assert core.provider.calls == []
