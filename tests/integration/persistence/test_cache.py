"""The read-through cache: repeated reads skip the database, writes drop what they make stale,
and nothing uncommitted ever reaches the cache."""

from __future__ import annotations

import collections.abc
import inspect
import typing
import uuid
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.test.utils import CaptureQueriesContext

from adapters.persistence.cache import (
    CachedForecastRepository,
    CachedLocationRepository,
    CachedObservationRepository,
    ReadThroughCache,
    _LocalCopies,
)
from adapters.persistence.repositories import (
    DjangoForecastRepository,
    DjangoLocationRepository,
    DjangoObservationRepository,
)
from adapters.persistence.session import Session
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.pagination import PageRequest
from application.ports.repositories import (
    ForecastRepository,
    LocationRepository,
    ObservationRepository,
)
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import Coordinates, Location
from domain.observations import Observation, ObservationKey
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import NOW, a_location, an_observation

pytestmark = pytest.mark.django_db(databases=DATABASES)


def weather_queries(alias: str) -> AbstractContextManager[CaptureQueriesContext]:
    return CaptureQueriesContext(connections[alias])


def selects(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().startswith("SELECT")]


def stored_location(alias: str) -> Location:
    location = a_location()
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.observations.add_many([an_observation(location.id, temperature=1.0)])
        uow.forecasts.save_many(
            hourly=[
                HourlyForecast(
                    location_id=location.id,
                    provider="open-meteo",
                    fetched_at=NOW,
                    points=[HourlyPoint(time=NOW)],
                )
            ],
            daily=[],
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
        uow.observations.add_many([newer])
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
        uow.observations.add_many([newer])
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
        uow.observations.add_many([draft])
        assert uow.observations.latest(location.id) == draft  # its own write, not cached
        # left without commit
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


# --- every write of a port drops what it makes stale -------------------------------------------

#: The methods of each cached port that only read. Every other method of the port is a write,
#: which the cached repository must pass on only after dropping what it makes stale: a method
#: added to a port counts as a write until it is named here.
READS: dict[type, frozenset[str]] = {
    LocationRepository: frozenset({"get", "get_many", "get_by_coordinates", "search", "all"}),
    ObservationRepository: frozenset(
        {"get_many", "latest", "latest_many", "history", "daily_summaries"}
    ),
    ForecastRepository: frozenset({"hourly", "daily"}),
}

#: The Django repository that each cached one wraps.
STORED: dict[type, type] = {
    LocationRepository: DjangoLocationRepository,
    ObservationRepository: DjangoObservationRepository,
    ForecastRepository: DjangoForecastRepository,
}


def methods_of(port: type) -> list[str]:
    return sorted(
        name for name, member in vars(port).items() if callable(member) and not name.startswith("_")
    )


def cached_repositories(cache: ReadThroughCache) -> dict[type, object]:
    """Each declared as its port, so that mypy proves that the cached repository fits it."""
    session = Session()
    locations: LocationRepository = CachedLocationRepository(cache, session)
    observations: ObservationRepository = CachedObservationRepository(cache, session)
    forecasts: ForecastRepository = CachedForecastRepository(cache, session)
    return {
        LocationRepository: locations,
        ObservationRepository: observations,
        ForecastRepository: forecasts,
    }


def example_arguments(port: type, method: str) -> dict[str, object]:
    """A value of each parameter's type (a new type of parameter needs an example here)."""
    location = a_location()
    reading = an_observation(location.id)
    examples: list[tuple[object, object]] = [
        (uuid.UUID, location.id),
        (Location, location),
        (Coordinates, location.coordinates),
        (str, "Europe/Samara"),
        (str | None, None),
        (datetime, NOW),
        (PageRequest, PageRequest()),
        (Collection[uuid.UUID], [location.id]),
        (Collection[ObservationKey], [reading.key]),
        (Sequence[Observation], [reading]),
        (
            Sequence[HourlyForecast],
            [HourlyForecast(location_id=location.id, provider="p", fetched_at=NOW, points=[])],
        ),
        (
            Sequence[DailyForecast],
            [
                DailyForecast(
                    location_id=location.id,
                    provider="p",
                    fetched_at=NOW,
                    points=[DailyPoint(date=date(2026, 11, 24))],
                )
            ],
        ),
    ]
    hints = typing.get_type_hints(getattr(port, method))
    hints.pop("return", None)
    arguments = {}
    for name, hint in hints.items():
        found = [value for kind, value in examples if kind == hint]
        assert found, f"{port.__name__}.{method}: no example of {hint} for {name!r}; add one"
        arguments[name] = found[0]
    return arguments


@pytest.mark.parametrize(
    ("port", "method"),
    [(port, method) for port in READS for method in methods_of(port)],
    ids=lambda value: value.__name__ if isinstance(value, type) else value,
)
def test_every_write_of_a_port_drops_what_it_makes_stale_before_it_is_stored(
    port: type, method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each method of the port is called on its cached repository, over a Django repository that
    only records what reached it: a read passes straight on and forgets nothing; any other
    method forgets at least one key first, then passes its arguments on unchanged."""
    happened: list[tuple[str, object]] = []
    signature = inspect.signature(getattr(port, method))
    # A read of many answers a mapping, which a cache merges with its hits: found nothing.
    returns = typing.get_origin(typing.get_type_hints(getattr(port, method)).get("return"))
    nothing: object = {} if returns is collections.abc.Mapping else None

    def stored(self: object, *args: Any, **kwargs: Any) -> object:
        arguments = dict(signature.bind(self, *args, **kwargs).arguments)
        del arguments["self"]
        happened.append(("stored", arguments))
        return nothing

    monkeypatch.setattr(STORED[port], method, stored)
    cache = ReadThroughCache(LocMemCache(f"writes-{uuid.uuid4().hex}", {}), 60, Session())
    monkeypatch.setattr(cache, "forget", lambda keys: happened.append(("forgot", list(keys))))
    arguments = example_arguments(port, method)

    getattr(cached_repositories(cache)[port], method)(**arguments)

    if method in READS[port]:
        assert happened == [("stored", arguments)]
    else:
        assert [what for what, _ in happened] == ["forgot", "stored"], f"{method} forgot nothing"
        assert happened[0][1], f"{method} forgot an empty list of keys"
        assert happened[1] == ("stored", arguments)


def test_the_reads_named_are_methods_of_their_ports() -> None:
    for port, reads in READS.items():
        assert reads <= set(methods_of(port)), port.__name__
