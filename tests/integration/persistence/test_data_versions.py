"""`CachedDataVersions`: the stamp of the locations and latest readings that the API's kept
answers are filed under (`adapters/rest/representations.py`) changes with every write of either,
at once and again at commit, and is `None` where the cache keeps nothing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager

import attrs
import pytest
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from adapters.persistence.cache import CachedDataVersions
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from domain.locations import Coordinates
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import NOW, a_location, an_observation

pytestmark = pytest.mark.django_db(databases=DATABASES)


@pytest.fixture
def cache() -> LocMemCache:
    return LocMemCache(f"versions-{uuid.uuid4().hex}", {})


def test_the_stamp_stays_the_same_while_nothing_is_written(cache: LocMemCache) -> None:
    versions = CachedDataVersions(lambda: cache, ttl_seconds=60)

    first = versions.stamp()

    assert first is not None
    assert versions.stamp() == first
    assert CachedDataVersions(lambda: cache, ttl_seconds=60).stamp() == first  # another thread


@pytest.mark.parametrize(
    "write",
    [
        "add a location",
        "change a location",
        "remove a location",
        "store a reading",
        "remove a location's readings",
    ],
)
def test_every_write_of_a_location_or_a_reading_changes_it_before_and_after_the_commit(
    alias: str,
    cache: LocMemCache,
    write: str,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    versions = CachedDataVersions(lambda: cache, ttl_seconds=60)
    location = a_location()
    with DjangoUnitOfWork(alias, cache=cache) as uow:
        uow.locations.add(location)
        uow.commit()
    seen = [versions.stamp()]

    with (
        django_capture_on_commit_callbacks(using=alias, execute=True),
        DjangoUnitOfWork(alias, cache=cache) as uow,
    ):
        if write == "add a location":
            uow.locations.add(a_location(name="Other", coordinates=Coordinates(1, 1)))
        elif write == "change a location":
            uow.locations.update(attrs.evolve(location, name="Renamed"))
        elif write == "remove a location":
            uow.locations.remove(location.id)
        elif write == "store a reading":
            uow.observations.add_many([an_observation(location.id, observed_at=NOW)])
        else:
            uow.observations.remove_for_location(location.id)
        seen.append(versions.stamp())  # written, not yet committed: already another stamp
        uow.commit()
    seen.append(versions.stamp())

    assert None not in seen
    assert len(set(seen)) == 3


def test_a_cache_that_keeps_nothing_gives_no_stamp() -> None:
    assert CachedDataVersions(lambda: DummyCache("dummy", {}), ttl_seconds=60).stamp() is None


def test_the_stamp_expires_with_the_cache_entries(cache: LocMemCache) -> None:
    """With a cache per process, another process's writes reach this one when its entries
    expire: the stamp goes with them, so nothing kept under it outlives them."""
    versions = CachedDataVersions(lambda: cache, ttl_seconds=0.05)
    before = versions.stamp()

    time.sleep(0.1)

    assert versions.stamp() not in (None, before)
