"""Refreshing a batch of locations: one provider call, deleted locations skipped, all or nothing."""

from __future__ import annotations

import pytest

from application.use_cases.refresh_locations import RefreshLocations, RefreshLocationsCommand
from domain.errors import AllProvidersUnavailable
from domain.locations import Coordinates
from tests.unit.builders import a_core, a_location


def test_a_batch_is_fetched_in_one_call_and_stored() -> None:
    core = a_core()
    here, there = a_location(), a_location(coordinates=Coordinates(1, 1))
    core.add(here, there)

    result = RefreshLocations(core.uow, core.providers, core.bus).execute(
        RefreshLocationsCommand([here.id, there.id])
    )

    assert result.provider == "open-meteo"
    assert result.location_ids == (here.id, there.id)
    assert result.observations_stored == 2
    assert core.provider.calls == [[here.id, there.id]]


def test_locations_deleted_since_the_batch_was_planned_are_skipped() -> None:
    core = a_core()
    here, gone = a_location(), a_location(coordinates=Coordinates(1, 1))
    core.add(here)

    result = RefreshLocations(core.uow, core.providers, core.bus).execute(
        RefreshLocationsCommand([gone.id, here.id])
    )

    assert result.location_ids == (here.id,)
    assert core.provider.calls == [[here.id]]


def test_a_batch_of_only_deleted_locations_asks_no_provider() -> None:
    core = a_core()

    result = RefreshLocations(core.uow, core.providers, core.bus).execute(
        RefreshLocationsCommand([a_location().id])
    )

    assert (result.provider, result.location_ids, result.observations_stored) == (None, (), 0)
    assert core.provider.calls == []


def test_a_batch_no_provider_can_serve_stores_nothing() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.provider.fail()
    core.fallback.fail()

    with pytest.raises(AllProvidersUnavailable):
        RefreshLocations(core.uow, core.providers, core.bus).execute(
            RefreshLocationsCommand([location.id])
        )

    assert core.store.observations.latest(location.id) is None
