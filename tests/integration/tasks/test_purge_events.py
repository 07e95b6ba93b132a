"""``weather.purge_events``: beat runs it hourly (a migration makes the schedule), and it drops the
live events older than EVENT_RETENTION_HOURS, leaving the log's horizon where a stream resuming
from before it must `reset`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dependency_injector import providers
from django_celery_beat.models import PeriodicTask
from pytest_django import Settings

from adapters.persistence import models
from adapters.tasks import tasks
from application.use_cases.register_location import RegisterLocationCommand
from server_config.celery import app
from server_config.container import container
from tests.support.fakes.clock import FakeClock
from tests.support.migration_data import restore_migration_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    """The container's clock (the task's "now"), set by each test."""
    fake = FakeClock(datetime.now(UTC))
    container.clock.override(providers.Object(fake))
    yield fake
    container.clock.reset_override()


def log_events(count: int) -> list[int]:
    """`count` events, logged now, as production logs them (a location registered each)."""
    for index in range(count):
        command = RegisterLocationCommand(
            name=f"Place {index}", latitude=40.0 + index, longitude=8.0
        )
        container.register_location().execute(command)
    return list(models.OutboxEvent.objects.order_by("id").values_list("id", flat=True))


def run_purge() -> dict[str, Any]:
    """The task run inline, as a worker would run it; its result."""
    outcome = tasks.purge_events.apply()
    assert outcome.successful(), outcome.traceback
    result = outcome.result
    assert isinstance(result, dict)
    return result


def test_beat_purges_the_live_events_every_hour() -> None:
    restore_migration_data()  # what an earlier transactional test may have flushed
    schedule = PeriodicTask.objects.get(task=tasks.PURGE_EVENTS)

    assert schedule.enabled
    assert (schedule.interval.every, schedule.interval.period) == (1, "hours")
    assert schedule.expire_seconds == 3600
    assert tasks.PURGE_EVENTS in app.tasks  # a worker knows the name beat sends


def test_the_purge_drops_the_events_older_than_the_retention(
    clock: FakeClock, settings: Settings
) -> None:
    settings.EVENT_RETENTION_HOURS = 24
    ids = log_events(3)
    clock.set(datetime.now(UTC) + timedelta(hours=23))

    assert run_purge()["purged"] == 0
    assert models.OutboxEvent.objects.count() == 3

    clock.set(datetime.now(UTC) + timedelta(hours=25))
    purged = run_purge()

    assert purged["purged"] == 3
    assert purged["older_than"].endswith("Z")
    assert models.OutboxEvent.objects.count() == 0
    assert models.EventLogHorizon.objects.get().purged_through == ids[-1]


def test_the_retention_is_the_setting(clock: FakeClock, settings: Settings) -> None:
    log_events(1)
    clock.set(datetime.now(UTC) + timedelta(hours=3))

    settings.EVENT_RETENTION_HOURS = 4
    assert run_purge()["purged"] == 0
    settings.EVENT_RETENTION_HOURS = 2
    assert run_purge()["purged"] == 1
