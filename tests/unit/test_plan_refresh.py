"""The plan of a refresh-all: every location once, in batches of the preferred provider's size."""

from __future__ import annotations

from application.use_cases.plan_refresh import PlanRefresh, PlanRefreshQuery
from domain.locations import Coordinates
from tests.support.builders import a_location
from tests.support.core import a_core


def test_every_location_is_planned_once_in_batches_of_the_preferred_provider() -> None:
    core = a_core(batch_size=2)
    places = [a_location(name=f"Place {i}", coordinates=Coordinates(i, i)) for i in range(5)]
    core.add(*places)

    plan = PlanRefresh(core.pipeline()).execute(PlanRefreshQuery())

    assert [len(batch.locations) for batch in plan.batches] == [2, 2, 1]
    assert [key for batch in plan.batches for key in batch.location_ids] == [p.id for p in places]
    assert [location for batch in plan.batches for location in batch.locations] == places


def test_nothing_to_refresh_is_an_empty_plan() -> None:
    core = a_core()

    assert PlanRefresh(core.pipeline()).execute(PlanRefreshQuery()).batches == ()
