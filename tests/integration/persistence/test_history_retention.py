"""The history's retention purge in bounded batches, on SQLite and on PostgreSQL (where what is
left of the horizon's month, after whole months are dropped, goes the same way): every reading
before the horizon goes, every reading from it on stays, and no batch deletes more than its
size in one statement, a group of locations at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from adapters.persistence import models
from adapters.persistence.history_retention import DjangoHistoryStorage
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import an_observation, locations_along_the_equator

pytestmark = pytest.mark.django_db(databases=DATABASES)

HORIZON = datetime(2024, 3, 15, tzinfo=UTC)


def test_the_purge_deletes_what_is_older_than_the_horizon_in_bounded_batches(alias: str) -> None:
    here, there, elsewhere = locations_along_the_equator(3)
    readings = [
        an_observation(location.id, observed_at=HORIZON + timedelta(hours=hour))
        for location in (here, there, elsewhere)
        for hour in range(-10, 3)  # ten before the horizon, three from it on
    ]
    with DjangoUnitOfWork(alias) as uow:
        for location in (here, there, elsewhere):
            uow.locations.add(location)
        uow.observations.add_many(readings)
        uow.commit()
    storage = DjangoHistoryStorage(alias, batch_size=7, locations_per_batch=2)

    with CaptureQueriesContext(connections[alias]) as captured:
        purged = storage.purge_older_than(HORIZON)

    assert purged.rows_deleted == 30
    kept = models.Observation.objects.using(alias).values_list("observed_at", flat=True)
    assert len(kept) == 9
    assert min(kept) == HORIZON
    deletes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("DELETE")]
    # Two locations (20 old readings): 7 + 7 + 6; then the third (10): 7 + 3.
    assert len(deletes) == 5
    assert storage.purge_older_than(HORIZON).rows_deleted == 0  # idempotent


def test_nothing_is_deleted_from_the_horizon_on(alias: str) -> None:
    (location,) = locations_along_the_equator(1)
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.observations.add_many([an_observation(location.id, observed_at=HORIZON)])
        uow.commit()

    purged = DjangoHistoryStorage(alias).purge_older_than(HORIZON)

    assert purged.rows_deleted == 0
    assert models.Observation.objects.using(alias).count() == 1
