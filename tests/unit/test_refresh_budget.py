"""The refresh pipeline under a provider's call budget: a call the budget has no room for is
not made; a fallback with room answers instead; with none, the batch is deferred (not failed),
and the in-process driver waits for the budget, spreading its calls over time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.ports.rate_budget import ProviderLimits, RefreshDeferred
from application.refresh.pipeline import RefreshPipeline
from application.refresh.plan import Batch
from application.use_cases.refresh_all import RefreshAll, RefreshAllCommand
from application.use_cases.refresh_batch import RefreshBatch, RefreshBatchCommand
from domain.errors import AllProvidersUnavailable
from domain.locations import Coordinates, Location
from tests.support.builders import a_location
from tests.support.core import Core, a_core
from tests.support.fakes.rate_budget import InMemoryRateBudget


def places(core: Core, count: int) -> list[Location]:
    added = [a_location(name=f"Place {i}", coordinates=Coordinates(i, i)) for i in range(count)]
    core.add(*added)
    return added


def budget(core: Core, **limits: ProviderLimits) -> InMemoryRateBudget:
    return InMemoryRateBudget(limits=limits, clock=core.clock)


def test_a_batch_the_budget_has_no_room_for_is_deferred_and_its_provider_not_called() -> None:
    core = a_core(batch_size=2)
    batch = Batch(tuple(places(core, 2)))
    spent = budget(core, **{"open-meteo": ProviderLimits(per_minute=3)})
    pipeline = RefreshPipeline(core.uow, [core.provider], spent)
    RefreshBatch(pipeline).execute(RefreshBatchCommand(batch))
    with pytest.raises(RefreshDeferred) as deferred:
        RefreshBatch(pipeline).execute(RefreshBatchCommand(batch))
    assert len(core.provider.calls) == 1
    assert deferred.value.retry_after_seconds == 60.0  # the fake clock stands on a minute
    assert deferred.value.deferrals[0].limit == "per minute"


def test_a_fallback_with_room_answers_when_the_preferred_budget_is_spent() -> None:
    core = a_core(batch_size=2)
    batch = Batch(tuple(places(core, 2)))
    spent = budget(core, **{"open-meteo": ProviderLimits(per_minute=2)})
    pipeline = RefreshPipeline(core.uow, [core.provider, core.fallback], spent)
    pipeline.refresh(batch)
    outcome = pipeline.refresh(batch)
    assert outcome.provider == "met-norway"  # type: ignore[union-attr]
    assert spent.asked == [("open-meteo", 2), ("open-meteo", 2), ("met-norway", 2)]


def test_a_spent_budget_with_failing_fallbacks_defers_rather_than_fails() -> None:
    core = a_core(batch_size=2)
    batch = Batch(tuple(places(core, 2)))
    core.fallback.fail("down")
    spent = budget(core, **{"open-meteo": ProviderLimits(per_minute=2)})
    pipeline = RefreshPipeline(core.uow, [core.provider, core.fallback], spent)
    pipeline.refresh(batch)
    with pytest.raises(RefreshDeferred):
        pipeline.refresh(batch)


def test_without_any_budget_spent_failing_providers_still_fail() -> None:
    core = a_core(batch_size=2)
    places(core, 2)
    core.provider.fail("down")
    spent = budget(core, **{"open-meteo": ProviderLimits(per_minute=100)})
    pipeline = RefreshPipeline(core.uow, [core.provider], spent)
    with pytest.raises(AllProvidersUnavailable):
        RefreshAll(pipeline).execute(RefreshAllCommand())


def test_refresh_all_in_one_process_waits_for_the_budget_and_refreshes_everything() -> None:
    """Two locations a minute: six locations in batches of two are three calls, a minute apart."""
    core = a_core(batch_size=2)
    places(core, 6)
    spent = budget(core, **{"open-meteo": ProviderLimits(per_minute=2)})
    waits: list[float] = []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        core.clock.advance(timedelta(seconds=seconds))

    pipeline = RefreshPipeline(core.uow, [core.provider], spent)
    summary = RefreshAll(pipeline, wait=wait).execute(RefreshAllCommand())
    assert summary.locations_refreshed == 6
    assert waits == [60.0, 60.0]
    assert len(core.provider.calls) == 3
