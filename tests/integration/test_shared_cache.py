"""Against a real Redis (`TEST_CACHE_URL`), the production cache: two processes, each with its own
client and its own local copies, see each other's writes at once (and the data stamps that keep
the rendered answers), and share throttle counters.

"Another process" is a second cache client plus a fresh set of local copies: everything a
second gunicorn worker would have of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import attrs
import pytest
import redis
from django.core.cache.backends.redis import RedisCache
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from adapters.persistence import cache as cache_module
from adapters.persistence.cache import CachedDataVersions, _LocalCopies
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from adapters.rest.throttling import AnonymousRateThrottle
from application.pagination import PageRequest
from domain.locations import Coordinates
from tests.conftest import required_service_url
from tests.support.builders import a_location, an_observation

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def redis_url() -> str:
    return required_service_url("TEST_CACHE_URL")


@pytest.fixture
def prefix() -> str:
    """Keys of this test only, so runs never see each other's entries."""
    return f"test-{uuid.uuid4().hex}"


def _client(url: str, prefix: str) -> RedisCache:
    return RedisCache(url, {"KEY_PREFIX": prefix})


@pytest.fixture
def worker_a(redis_url: str, prefix: str) -> Iterator[RedisCache]:
    yield _client(redis_url, prefix)
    server = redis.Redis.from_url(redis_url)
    for key in server.scan_iter(f"{prefix}:*"):  # this test's keys only
        server.delete(key)


@pytest.fixture
def worker_b(redis_url: str, prefix: str) -> RedisCache:
    return _client(redis_url, prefix)


def _names(client: RedisCache) -> list[str]:
    with DjangoUnitOfWork(cache=client) as uow:
        page = uow.locations.search(text=None, country_code=None, page=PageRequest(1, 10))
    return [location.name for location in page.items]


def _in_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "_local_copies", _LocalCopies(size=256))


def test_a_write_in_one_process_is_seen_at_once_by_another(
    worker_a: RedisCache, worker_b: RedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = a_location()
    with DjangoUnitOfWork(cache=worker_a) as uow:
        uow.locations.add(location)
        uow.commit()
    with DjangoUnitOfWork(cache=worker_a) as uow:
        assert uow.locations.get(location.id) == location  # now cached in Redis
    names_before = _names(worker_a)  # and the page kept by worker A

    _in_another_process(monkeypatch)
    renamed = attrs.evolve(location, name="Renamed")
    with DjangoUnitOfWork(cache=worker_b) as uow:
        uow.locations.update(renamed)
        uow.locations.add(a_location(name="Added", coordinates=Coordinates(1, 1)))
        uow.commit()
    monkeypatch.undo()  # back in worker A, with its local copies

    with DjangoUnitOfWork(cache=worker_a) as uow:
        seen = uow.locations.get(location.id)
    assert names_before == ["Samara"]
    assert seen is not None
    assert seen.name == "Renamed"
    assert _names(worker_a) == ["Added", "Renamed"]


def test_throttle_counters_are_shared_between_processes(
    worker_a: RedisCache, worker_b: RedisCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": None})

    def allowed(client: RedisCache) -> bool:
        throttle = AnonymousRateThrottle()
        throttle.cache = client
        request = Request(APIRequestFactory().get("/api/v1/locations/", REMOTE_ADDR="192.0.2.7"))
        return throttle.allow_request(request, None)  # type: ignore[arg-type]

    answers = [allowed(worker_a), allowed(worker_b), allowed(worker_a), allowed(worker_b)]

    assert answers == [True, True, True, False]


def test_a_reading_stored_by_one_process_changes_the_data_stamp_another_reads(
    worker_a: RedisCache, worker_b: RedisCache
) -> None:
    """What keeps the web processes' rendered answers right when a worker stores readings."""
    location = a_location()
    web = CachedDataVersions(lambda: worker_a, ttl_seconds=60)
    with DjangoUnitOfWork(cache=worker_b) as uow:
        uow.locations.add(location)
        uow.commit()
    before = web.stamp()

    with DjangoUnitOfWork(cache=worker_b) as uow:  # the worker's refresh
        uow.observations.add_many([an_observation(location.id)])
        uow.commit()

    assert before is not None
    assert web.stamp() not in (None, before)
    assert web.stamp() == CachedDataVersions(lambda: worker_b, ttl_seconds=60).stamp()
