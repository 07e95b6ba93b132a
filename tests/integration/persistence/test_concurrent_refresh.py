"""Two refreshes of one location at the same moment store each reading once and both succeed.

Real threads, each with its own database connection and transaction, released together by a
barrier once both have their provider's answer, so that their writes really overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest
from django.db import connections

from adapters.persistence import models
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.ports.providers import WeatherReport
from application.ports.unit_of_work import UnitOfWork
from application.refresh.pipeline import RefreshPipeline
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from domain.locations import Location
from server_config.container import container
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import NOW, a_location
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeWeatherProvider

pytestmark = pytest.mark.django_db(databases=DATABASES, transaction=True)

REFRESHES = 2


class AnswersTogether(FakeWeatherProvider):
    """A provider whose callers all get their answer at the same instant."""

    def __init__(self, barrier: threading.Barrier) -> None:
        super().__init__(FakeClock(NOW), name="open-meteo")
        self._barrier = barrier

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        reports = super().fetch(locations)
        self._barrier.wait(timeout=30)
        return reports


def test_concurrent_refreshes_of_one_location_store_each_reading_once(alias: str) -> None:
    location = a_location()
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.commit()
    provider = AnswersTogether(threading.Barrier(REFRESHES))
    errors: list[BaseException] = []
    counted: list[int] = []
    with container.config.database.alias.override(alias):  # a worker's, one per thread
        units = [container.unit_of_work() for _ in range(REFRESHES)]

    def refresh(uow: UnitOfWork) -> None:
        try:
            pipeline = RefreshPipeline(uow, [provider])
            result = RefreshLocation(pipeline).execute(RefreshLocationCommand(location.id))
            counted.append(result.observations_stored)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh, args=(uow,)) for uow in units]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rows = models.Observation.objects.using(alias)
    assert rows.count() == 1
    # Both saw no stored reading and both wrote it; the storage counts the one that changed it.
    assert sorted(counted) == [0, 1]
    assert models.Forecast.objects.using(alias).count() == 2  # one hourly, one daily
    with DjangoUnitOfWork(alias) as uow:
        hourly, daily = uow.forecasts.hourly(location.id), uow.forecasts.daily(location.id)
    assert hourly is not None
    assert len(hourly.points) == provider.forecast_hours
    assert daily is not None
    assert len(daily.points) == provider.forecast_days
