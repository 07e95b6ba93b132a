"""Refreshing one planned batch: one provider call, one unit of work, an outcome either way, and
the JSON form in which a batch and its outcome cross between tasks."""

from __future__ import annotations

import uuid

import pytest

from application.refresh.plan import Batch
from application.refresh.results import (
    BatchFailed,
    BatchRefreshed,
    RefreshSummary,
    batch_outcome_from_json,
)
from application.use_cases.refresh_batch import RefreshBatch, RefreshBatchCommand
from domain.errors import InvalidInput, ProviderUnavailable
from domain.locations import Coordinates
from tests.support.builders import OWNER, a_location
from tests.support.core import a_core


def test_a_batch_is_fetched_in_one_call_and_stored() -> None:
    core = a_core()
    here, there = a_location(), a_location(coordinates=Coordinates(1, 1))
    core.add(here, there)

    outcome = RefreshBatch(core.pipeline()).execute(RefreshBatchCommand(Batch((here, there))))

    assert outcome == BatchRefreshed(
        provider="open-meteo", location_ids=(here.id, there.id), observations_stored=2
    )
    assert core.provider.calls == [[here.id, there.id]]


def test_locations_deleted_since_the_batch_was_planned_are_left_out() -> None:
    core = a_core()
    here, gone = a_location(), a_location(coordinates=Coordinates(1, 1))
    core.add(here)

    outcome = RefreshBatch(core.pipeline()).execute(RefreshBatchCommand(Batch((gone, here))))

    assert isinstance(outcome, BatchRefreshed)
    assert outcome.location_ids == (here.id,)
    assert core.store.observations.latest(gone.id) is None


def test_a_batch_no_provider_can_serve_is_a_failed_outcome_and_stores_nothing() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.provider.fail()
    core.fallback.fail()

    outcome = RefreshBatch(core.pipeline()).execute(RefreshBatchCommand(Batch((location,))))

    assert isinstance(outcome, BatchFailed)
    assert outcome.location_ids == (location.id,)
    assert str(outcome.failure).startswith("open-meteo, met-norway is unavailable")
    assert core.store.observations.latest(location.id) is None
    assert core.events == []


def test_a_batch_comes_back_from_its_json_form_as_it_was_planned() -> None:
    located = a_location(created_by=OWNER, elevation=None, country_code=None)
    batch = Batch((a_location(), located))

    assert Batch.from_json(batch.to_json()) == batch


@pytest.mark.parametrize(
    "damage",
    [{"latitude": "north"}, {"id": "not-a-uuid"}, {"timezone": "Mars/Olympus"}, {"name": None}],
)
def test_a_damaged_batch_is_invalid_input(damage: dict[str, object]) -> None:
    [item] = Batch((a_location(),)).to_json()

    with pytest.raises(InvalidInput):
        Batch.from_json([{**item, **damage}])


def test_every_outcome_comes_back_from_its_json_form() -> None:
    refreshed = BatchRefreshed(provider="p", location_ids=(uuid.uuid4(),), observations_stored=3)
    failed = BatchFailed(
        location_ids=(uuid.uuid4(), uuid.uuid4()),
        failure=ProviderUnavailable("open-meteo", "timed out"),
    )

    assert batch_outcome_from_json(refreshed.to_json()) == refreshed
    back = batch_outcome_from_json(failed.to_json())
    assert isinstance(back, BatchFailed)
    assert back.location_ids == failed.location_ids
    assert str(back.failure) == str(failed.failure)
    with pytest.raises(InvalidInput):
        batch_outcome_from_json({"provider": "p"})


def test_a_summary_adds_up_its_batches_in_order() -> None:
    first, second, lost = (uuid.uuid4() for _ in range(3))
    summary = RefreshSummary.of(
        [
            BatchRefreshed(provider="a", location_ids=(first,), observations_stored=1),
            BatchFailed(location_ids=(lost,), failure=ProviderUnavailable("a", "down")),
            BatchRefreshed(provider="b", location_ids=(second,), observations_stored=0),
        ]
    )

    assert summary.to_json() == {
        "locations_refreshed": 2,
        "observations_stored": 1,
        "batches": 3,
        "providers": ["a", "b"],
        "failed_location_ids": [str(lost)],
    }
