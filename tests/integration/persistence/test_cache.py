"""The read-through cache: repeated reads skip the database, writes drop what they make stale,
and nothing uncommitted ever reaches the cache."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from adapters.persistence.cache import _LocalCopies
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.pagination import PageRequest
from domain.forecasts import HourlyForecast, HourlyPoint
from domain.locations import Coordinates, Location
from tests.integration.persistence.conftest import DATABASES
from tests.unit.builders import NOW, a_location, an_observation

pytestmark = pytest.mark.django_db(databases=DATABASES)


def weather_queries(alias: str) -> AbstractContextManager[CaptureQueriesContext]:
    return CaptureQueriesContext(connections[alias])


def selects(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


def stored_location(alias: str) -> Location:
    location = a_location()
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.observations.add(an_observation(location.id, temperature=1.0))
        uow.forecasts.save_hourly(
            HourlyForecast(
                location_id=location.id,
                provider="open-meteo",
                fetched_at=NOW,
                points=[HourlyPoint(time=NOW)],
            )
        )
        uow.commit()
    return location


def test_repeated_reads_are_served_from_the_cache(alias: str) -> None:
    location = stored_location(alias)

    def read(uow: DjangoUnitOfWork) -> tuple[object, ...]:
        return (
            uow.locations.get(location.id),
            uow.observations.latest(location.id),
            uow.forecasts.hourly(location.id),
        )

    with DjangoUnitOfWork(alias) as uow, weather_queries(alias) as first:
        first_answer = read(uow)
    with DjangoUnitOfWork(alias) as uow, weather_queries(alias) as second:
        second_answer = read(uow)

    assert len(selects(first)) == 3
    assert second.captured_queries == []  # not even a transaction: the database is not touched
    assert second_answer == first_answer


@pytest.mark.django_db(databases=DATABASES, transaction=True)  # no test transaction around it
def test_a_write_after_reads_from_the_cache_still_waits_for_the_commit(alias: str) -> None:
    location = stored_location(alias)
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.get(location.id)  # fills the cache
    newer = an_observation(location.id, observed_at=NOW + timedelta(hours=3), temperature=5.0)
    database = connections[alias]

    with DjangoUnitOfWork(alias) as uow:
        uow.locations.get(location.id)
        outside_before_the_write = not database.in_atomic_block
        uow.observations.add(newer)
        inside_after_the_write = database.in_atomic_block
        # left without commit
    with DjangoUnitOfWork(alias) as uow:
        latest = uow.observations.latest(location.id)

    assert outside_before_the_write
    assert inside_after_the_write
    assert latest is not None
    assert latest.temperature == 1.0


def test_a_committed_write_drops_the_stale_entries(alias: str) -> None:
    location = stored_location(alias)
    with DjangoUnitOfWork(alias) as uow:
        before = uow.observations.latest(location.id)
    newer = an_observation(location.id, observed_at=NOW + timedelta(hours=1), temperature=2.0)
    with DjangoUnitOfWork(alias) as uow:
        uow.observations.add(newer)
        uow.commit()
    with DjangoUnitOfWork(alias) as uow:
        after = uow.observations.latest(location.id)

    assert before is not None
    assert before.temperature == 1.0
    assert after == newer


def test_uncommitted_data_never_reaches_the_cache(alias: str) -> None:
    location = stored_location(alias)
    draft = an_observation(location.id, observed_at=NOW + timedelta(hours=2), temperature=9.0)
    with DjangoUnitOfWork(alias) as uow:
        uow.observations.add(draft)
        assert uow.observations.latest(location.id) == draft  # its own write, not cached
        uow.rollback()
    with DjangoUnitOfWork(alias) as uow:
        latest = uow.observations.latest(location.id)

    assert latest is not None
    assert latest.temperature == 1.0


def test_a_deleted_location_leaves_nothing_cached(alias: str) -> None:
    location = stored_location(alias)
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.get(location.id)
        uow.observations.latest(location.id)
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.remove(location.id)
        uow.commit()
    with DjangoUnitOfWork(alias) as uow:
        assert uow.locations.get(location.id) is None
        assert uow.observations.latest(location.id) is None


def test_pages_of_locations_are_cached_until_a_location_changes(alias: str) -> None:
    first = stored_location(alias)
    page = PageRequest(1, 10)

    def names() -> list[str]:
        with DjangoUnitOfWork(alias) as uow:
            found = uow.locations.search(text=None, country_code=None, page=page)
        return [location.name for location in found.items]

    with weather_queries(alias) as cold:
        before = names()
    with weather_queries(alias) as warm:
        again = names()
    second = a_location(name="Another", coordinates=Coordinates(1, 1))
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(second)
        uow.commit()
    after_add = names()
    first.name = "Renamed"
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.update(first)
        uow.commit()
    after_update = names()

    assert before == again == ["Samara"]
    assert selects(cold)
    assert selects(warm) == []
    assert after_add == ["Another", "Samara"]
    assert after_update == ["Another", "Renamed"]


def test_the_local_copies_of_list_pages_are_bounded_and_expire() -> None:
    copies = _LocalCopies(size=2)
    copies.put("a", "page a", ttl_seconds=60)
    copies.put("b", "page b", ttl_seconds=60)
    copies.put("c", "page c", ttl_seconds=60)
    copies.put("stale", "old page", ttl_seconds=-1)

    assert copies.get("a") is None  # the oldest went first
    assert copies.get("b") is None  # … and the next, to make room for the expired one
    assert copies.get("c") == "page c"
    assert copies.get("stale") is None
