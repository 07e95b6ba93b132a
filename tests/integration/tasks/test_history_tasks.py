"""The history's periodic upkeep (``adapters/tasks/history.py``): beat runs the purge hourly and the
partition upkeep daily (a migration makes both schedules), the purge keeps
WEATHER_HISTORY_RETENTION_DAYS of readings and, with it unset, everything."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from celery import Task
from dependency_injector import providers
from django_celery_beat.models import PeriodicTask
from pytest_django import Settings

from adapters.persistence import models
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from adapters.tasks import history
from server_config.celery import app
from server_config.container import container
from tests.support.builders import an_observation, locations_along_the_equator
from tests.support.fakes.clock import FakeClock
from tests.support.migration_data import restore_migration_data

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    fake = FakeClock(NOW)
    container.clock.override(providers.Object(fake))
    yield fake
    container.clock.reset_override()


def run(task: Task) -> dict[str, Any]:  # type: ignore[type-arg]
    """The task run inline, as a worker would run it; its result."""
    outcome = task.apply()
    assert outcome.successful(), outcome.traceback
    assert isinstance(outcome.result, dict)
    return outcome.result


@pytest.mark.parametrize(
    ("task", "every"),
    [(history.PURGE_HISTORY, (1, "hours")), (history.PREPARE_HISTORY, (1, "days"))],
)
def test_beat_runs_the_upkeep(task: str, every: tuple[int, str]) -> None:
    restore_migration_data()  # what an earlier transactional test may have flushed
    schedule = PeriodicTask.objects.get(task=task)

    assert schedule.enabled
    assert (schedule.interval.every, schedule.interval.period) == every
    assert task in app.tasks  # a worker knows the name beat sends


def test_the_purge_keeps_the_retention_and_everything_without_one(
    clock: FakeClock, settings: Settings
) -> None:
    (location,) = locations_along_the_equator(1)
    with DjangoUnitOfWork() as uow:
        uow.locations.add(location)
        uow.observations.add_many(
            [an_observation(location.id, observed_at=NOW - timedelta(days=d)) for d in (1, 9, 11)]
        )
        uow.commit()

    settings.WEATHER_HISTORY_RETENTION_DAYS = None
    assert run(history.purge_history) == {
        "older_than": None,
        "rows_deleted": 0,
        "spans_dropped": [],
    }
    assert models.Observation.objects.count() == 3

    settings.WEATHER_HISTORY_RETENTION_DAYS = 10
    purged = run(history.purge_history)

    assert purged == {"older_than": "2026-06-05T12:00:00Z", "rows_deleted": 1, "spans_dropped": []}
    assert models.Observation.objects.count() == 2


def test_the_daily_upkeep_has_nothing_to_make_on_sqlite(clock: FakeClock) -> None:
    assert run(history.prepare_history) == {"created": []}
