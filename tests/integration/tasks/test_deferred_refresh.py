"""A refresh task whose providers' budget is spent is deferred, not failed nor dropped: it runs
again under its own id once the budget has room, however many times it had to wait, and a
deferral spends none of its retries for failures (run in this process, Celery's eager path)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from dependency_injector import providers

from adapters.tasks import tasks
from adapters.tasks.queue import REFRESH_BATCH
from application.ports.rate_budget import Deferred, Granted, Reservation
from application.refresh.plan import Batch
from application.use_cases.plan_refresh import PlanRefreshQuery
from application.use_cases.register_location import RegisterLocationCommand
from server_config.container import container
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeWeatherProvider

pytestmark = pytest.mark.django_db


class ScriptedBudget:
    """Defers the first `deferrals` calls (for a hundredth of a second), then grants."""

    def __init__(self, deferrals: int) -> None:
        self.deferrals = deferrals
        self.asked = 0

    def reserve(self, provider: str, locations: int) -> Reservation:
        self.asked += 1
        if self.asked <= self.deferrals:
            return Deferred(provider=provider, limit="per minute", retry_after_seconds=0.01)
        return Granted()


@pytest.fixture
def weather() -> Iterator[FakeWeatherProvider]:
    provider = FakeWeatherProvider(FakeClock(), name="open-meteo", max_batch_size=5)
    container.weather_providers.override(providers.Object([provider]))
    yield provider
    container.weather_providers.reset_override()


def with_budget(budget: ScriptedBudget) -> None:
    container.rate_budget.override(providers.Object(budget))


@pytest.fixture(autouse=True)
def _reset_budget() -> Iterator[None]:
    yield
    container.rate_budget.reset_override()


def add_location(index: int) -> uuid.UUID:
    command = RegisterLocationCommand(name=f"Place {index}", latitude=50.0 + index, longitude=8.0)
    return container.register_location().execute(command).id


def deferrals_counted(task: str) -> float:
    return float(tasks.REFRESH_DEFERRALS.labels(task=task)._value.get())


def test_a_deferred_batch_runs_once_the_budget_has_room_past_its_retries_for_failures(
    weather: FakeWeatherProvider,
) -> None:
    """Six deferrals, more than the four retries a failing batch gets: it still succeeds."""
    ids = [add_location(index) for index in range(3)]
    plan = container.plan_refresh().execute(PlanRefreshQuery())
    budget = ScriptedBudget(deferrals=tasks.WeatherTask.max_retries + 2)
    with_budget(budget)
    before = deferrals_counted(REFRESH_BATCH)
    result = tasks.refresh_batch.apply(args=(plan.batches[0].to_json(),))
    assert result.successful(), result.result
    assert sorted(result.get()["location_ids"]) == sorted(str(i) for i in ids)
    assert len(weather.calls) == 1  # called once, when the budget allowed it
    assert budget.asked == budget.deferrals + 1
    assert deferrals_counted(REFRESH_BATCH) == before + budget.deferrals


def test_a_deferral_leaves_the_retries_for_failures_whole(weather: FakeWeatherProvider) -> None:
    """Deferred twice, then the provider fails: the batch still gets every retry before it is
    reported failed (5 calls: the first try and 4 retries)."""
    add_location(0)
    batch = Batch.from_json(
        container.plan_refresh().execute(PlanRefreshQuery()).batches[0].to_json()
    )
    with_budget(ScriptedBudget(deferrals=2))
    weather.fail("down")
    result = tasks.refresh_batch.apply(args=(batch.to_json(),))
    assert result.successful()
    assert result.get()["failed_location_ids"]
    assert len(weather.calls) == tasks.WeatherTask.max_retries + 1


def test_a_deferred_refresh_of_one_location_runs_later(weather: FakeWeatherProvider) -> None:
    location_id = add_location(0)
    with_budget(ScriptedBudget(deferrals=1))
    result = tasks.refresh_location.apply(args=(str(location_id),))
    assert result.successful(), result.result
    assert result.get()["location_id"] == str(location_id)
