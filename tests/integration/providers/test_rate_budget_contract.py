"""The `RateBudget` contract, run against every implementation: the fake of the unit tests, the
cache-backed adapter on Django's per-process memory cache, and on a real Redis
(`TEST_CACHE_URL`), where two clients (two worker processes) spend one budget."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from adapters.providers.rate_budget import DEFERRED_CALLS, CacheRateBudget
from application.ports.rate_budget import Deferred, Granted, ProviderLimits, RateBudget
from tests.conftest import required_service_url
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.rate_budget import InMemoryRateBudget

#: 10:00:30 UTC: half a minute into a minute, so a deferral's wait is known exactly.
START = datetime(2026, 11, 24, 10, 0, 30, tzinfo=UTC)

LIMITS: Spec = {"open-meteo": {"per_minute": 600, "per_hour": 1_000, "per_day": 1_200}}

Spec = dict[str, dict[str, float]]
Build = Callable[[Spec, FakeClock], RateBudget]


def _fake(limits: Spec, clock: FakeClock) -> RateBudget:
    return InMemoryRateBudget(
        limits={name: ProviderLimits(**spec) for name, spec in limits.items()},  # type: ignore[arg-type]
        clock=clock,
    )


def _on(cache: BaseCache) -> Build:
    def build(limits: Spec, clock: FakeClock) -> RateBudget:
        return CacheRateBudget(
            cache=lambda: cache,
            limits={name: ProviderLimits(**spec) for name, spec in limits.items()},  # type: ignore[arg-type]
            clock=clock,
            key_prefix=f"test-{uuid.uuid4().hex}",
        )

    return build


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    url = required_service_url("TEST_CACHE_URL")
    prefix = f"test-budget-{uuid.uuid4().hex}"
    yield RedisCache(url, {"KEY_PREFIX": prefix})
    server = redis.Redis.from_url(url)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


@pytest.fixture(params=["fake", "memory cache", "redis"])
def build(request: pytest.FixtureRequest) -> Build:
    if request.param == "fake":
        return _fake
    if request.param == "memory cache":
        return _on(LocMemCache(f"budget-{uuid.uuid4().hex}", {}))
    return _on(request.getfixturevalue("redis_cache"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


def test_calls_within_every_limit_are_granted(build: Build, clock: FakeClock) -> None:
    budget = build(LIMITS, clock)
    assert [budget.reserve("open-meteo", 100) for _ in range(6)] == [Granted()] * 6


def test_the_call_that_would_overspend_a_minute_waits_for_the_next_minute(
    build: Build, clock: FakeClock
) -> None:
    budget = build(LIMITS, clock)
    for _ in range(6):
        budget.reserve("open-meteo", 100)
    deferred = budget.reserve("open-meteo", 1)
    assert deferred == Deferred(provider="open-meteo", limit="per minute", retry_after_seconds=30.0)
    clock.advance(timedelta(seconds=30))
    assert budget.reserve("open-meteo", 1) == Granted()


def test_each_location_costs_what_the_provider_counts(build: Build, clock: FakeClock) -> None:
    """Open-Meteo counts 3.2 calls a location for this project's requests: 187 locations fit in
    a minute of 600 calls (598.4), 188 do not (601.6)."""
    limits: Spec = {"open-meteo": {"per_minute": 600, "calls_per_location": 3.2}}
    assert build(limits, clock).reserve("open-meteo", 187) == Granted()
    budget = build(limits, FakeClock(START))
    budget.reserve("open-meteo", 100)
    assert isinstance(budget.reserve("open-meteo", 88), Deferred)
    assert budget.reserve("open-meteo", 87) == Granted()


def test_a_deferred_call_counts_against_no_limit(build: Build, clock: FakeClock) -> None:
    """All or nothing: a call refused by the hour's limit is taken back from the minute's too
    (else the 300 after it would overspend the minute, 400 + 300 > 600, or the hour)."""
    budget = build({"open-meteo": {"per_minute": 600, "per_hour": 700}}, clock)
    assert budget.reserve("open-meteo", 400) == Granted()
    clock.advance(timedelta(minutes=1))
    deferred = budget.reserve("open-meteo", 400)
    assert isinstance(deferred, Deferred)
    assert deferred.limit == "per hour"
    assert deferred.retry_after_seconds == pytest.approx(3600 - 90)
    assert budget.reserve("open-meteo", 300) == Granted()


def test_the_hour_and_the_day_hold_across_minutes(build: Build, clock: FakeClock) -> None:
    budget = build(LIMITS, clock)
    granted = 0
    for _ in range(30):  # 30 minutes of 100 calls a minute
        if budget.reserve("open-meteo", 100) == Granted():
            granted += 1
        clock.advance(timedelta(minutes=1))
    assert granted == 10  # the hour's 1,000
    clock.advance(timedelta(hours=1))
    assert budget.reserve("open-meteo", 200) == Granted()
    deferred = budget.reserve("open-meteo", 1)
    assert isinstance(deferred, Deferred)
    assert deferred.limit == "per day"  # 1,200 a UTC day


def test_a_call_larger_than_a_whole_limit_goes_alone_in_its_window(
    build: Build, clock: FakeClock
) -> None:
    """Else it would wait for ever: it is made, and nothing else in that window."""
    budget = build({"open-meteo": {"per_minute": 100}}, clock)
    assert budget.reserve("open-meteo", 150) == Granted()
    assert isinstance(budget.reserve("open-meteo", 1), Deferred)


def test_providers_without_limits_and_limits_set_to_zero_are_never_deferred(
    build: Build, clock: FakeClock
) -> None:
    budget = build({"open-meteo": {"per_minute": 0, "per_hour": 0, "per_day": 0}}, clock)
    assert [budget.reserve("open-meteo", 10_000) for _ in range(3)] == [Granted()] * 3
    assert budget.reserve("met-norway", 10_000) == Granted()


def test_two_processes_spend_one_budget_on_redis(redis_cache: RedisCache) -> None:
    """Two clients of one Redis, as two worker processes: what one spends, the other cannot."""
    prefix = f"test-{uuid.uuid4().hex}"
    clock = FakeClock(START)
    url = required_service_url("TEST_CACHE_URL")
    limits = {"open-meteo": ProviderLimits(per_minute=600)}
    first, second = (
        CacheRateBudget(
            cache=lambda client=client: client,  # type: ignore[misc]
            limits=limits,
            clock=clock,
            key_prefix=prefix,
        )
        for client in (redis_cache, RedisCache(url, {"KEY_PREFIX": redis_cache.key_prefix}))
    )
    assert first.reserve("open-meteo", 400) == Granted()
    assert isinstance(second.reserve("open-meteo", 400), Deferred)
    assert second.reserve("open-meteo", 200) == Granted()
    assert isinstance(first.reserve("open-meteo", 1), Deferred)


def test_a_deferral_is_counted_in_the_metrics(clock: FakeClock) -> None:
    budget = _on(LocMemCache(f"budget-{uuid.uuid4().hex}", {}))({"p": {"per_minute": 1}}, clock)
    before = DEFERRED_CALLS.labels(provider="p", limit="per minute")._value.get()
    budget.reserve("p", 1)
    budget.reserve("p", 1)
    assert DEFERRED_CALLS.labels(provider="p", limit="per minute")._value.get() == before + 1
