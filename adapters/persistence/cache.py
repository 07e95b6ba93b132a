"""A read-through cache for the reads every page and poll repeats: a location, pages of the
location list, the latest reading of a location (alone, or of a page of them at once) and its
forecasts (CONTRACT.md §2, ``CACHE_URL``).

Entries are domain objects under keys per location (latest readings as their pickled bytes,
each decoded once per process: `_Decoded`). A write drops the keys it affects at once
and again when its transaction commits, so that no reader refills the cache with the old value
in between; until the unit of work ends, its own reads bypass the cache, so that uncommitted data
never reaches it. Invalidation reaches other processes only through a shared cache (Redis); with
the default per-process memory cache the time-to-live bounds how stale another process can be.

The cached repositories wrap the Django ones rather than extend them, and write out every method
of their port: no write reaches storage by inheritance, past the code that drops what it makes
stale. ``tests/integration/persistence/test_cache.py`` calls every method of each port that is
not a read and fails on one that drops nothing.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any, TypeVar, cast

from django.core.cache.backends.base import BaseCache
from django.db import transaction

from adapters.persistence.repositories.forecasts import DjangoForecastRepository
from adapters.persistence.repositories.locations import DjangoLocationRepository
from adapters.persistence.repositories.observations import DjangoObservationRepository
from adapters.persistence.session import Session
from application.pagination import Page, PageRequest
from application.ports.repositories import (
    ForecastRepository,
    LocationRepository,
    ObservationRepository,
)
from domain.aggregation import DailySummary
from domain.forecasts import DailyForecast, HourlyForecast
from domain.locations import Coordinates, Location
from domain.observations import Observation, ObservationKey

T = TypeVar("T")
K = TypeVar("K")

#: Renewed whenever a cached domain object gains or loses a field (v2: `Location.created_by`), or
#: an entry changes form (v3: latest readings stored as their pickled bytes, `_Decoded`): an
#: entry written by the code before would not read back as it was, in a shared cache that
#: outlives a deployment.
PREFIX = "weather:v3"


def location_key(location_id: uuid.UUID) -> str:
    return f"{PREFIX}:location:{location_id}"


#: Deleted whenever a location is added, changed or removed: every cached list of locations
#: carries the generation it was read in, so deleting it retires them all at once.
LOCATIONS_GENERATION = f"{PREFIX}:locations:generation"


def latest_key(location_id: uuid.UUID) -> str:
    return f"{PREFIX}:latest:{location_id}"


#: Deleted with every write of a location or of latest readings (readings stored, a location's
#: removed): what `CachedDataVersions` stamps.
DATA_GENERATION = f"{PREFIX}:data:generation"


def hourly_key(location_id: uuid.UUID) -> str:
    return f"{PREFIX}:hourly:{location_id}"


def daily_key(location_id: uuid.UUID) -> str:
    return f"{PREFIX}:daily:{location_id}"


class _LocalCopies:
    """This process's own copies of entries stored under a generation key (location-list
    pages), kept as objects: such an entry never changes — a write starts a new generation,
    hence new keys — so a copy is as fresh as the shared entry for as long as that lives, and
    saves unpickling a page of locations on every read. Bounded; the oldest copy goes first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> object | None:
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: str, value: object, ttl_seconds: float) -> None:
        with self._lock:
            while len(self._entries) >= self._size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (time.monotonic() + ttl_seconds, value)


_local_copies = _LocalCopies(size=256)


class _Decoded:
    """This process's decoded copies of immutable entries (latest readings), keyed by the bytes
    the cache holds for them: equal bytes unpickle to equal values, so one frozen object serves
    every read of those bytes, whichever process wrote them and however often the entry was
    replaced. It is never stale — a new reading is new bytes — and saves unpickling a reading
    on each read, the largest cost of a page with `include=current`. Bounded by the bytes it
    keeps; the oldest copy goes first."""

    def __init__(self, budget_bytes: int) -> None:
        self._budget = budget_bytes
        self._kept = 0
        self._values: dict[bytes, object] = {}
        self._lock = threading.Lock()

    def encode(self, value: object) -> bytes:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    def decode(self, data: bytes) -> Any:
        value = self._values.get(data)
        if value is None:
            value = pickle.loads(data)  # noqa: S301 - this cache's own entries, as Django's
            with self._lock:
                if data not in self._values:  # another thread may have decoded it meanwhile
                    while self._values and self._kept + len(data) > self._budget:
                        oldest = next(iter(self._values))
                        del self._values[oldest]
                        self._kept -= len(oldest)
                    self._values[data] = value
                    self._kept += len(data)
        return value


#: A reading pickles to about 500 bytes: room for some 8,000 locations' latest readings.
_decoded = _Decoded(budget_bytes=4 * 1024 * 1024)


def _generation(cache: BaseCache, key: str, ttl_seconds: float) -> str | None:
    """The generation `key` names, started afresh (for `ttl_seconds`) when there is none; `None`
    when the cache keeps nothing. `add`, not `set`: of concurrent starters, one generation wins."""
    current: str | None = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, ttl_seconds)
        current = cache.get(key)
    return current


class ReadThroughCache:
    """One unit of work's window on the shared cache."""

    def __init__(self, cache: BaseCache, ttl_seconds: float, session: Session) -> None:
        self._cache = cache
        self._ttl = ttl_seconds
        self._session = session
        self._wrote = False

    def begin(self) -> None:
        """A new transaction: its reads may use the cache again."""
        self._wrote = False

    def read(self, key: str, load: Callable[[], T | None]) -> T | None:
        if self._wrote:
            return load()
        hit: T | None = self._cache.get(key)
        if hit is not None:
            return hit
        value = load()
        if value is not None:
            self._cache.set(key, value, self._ttl)
        return value

    def read_frozen(self, key: str, load: Callable[[], T | None]) -> T | None:
        """`read` of an immutable value (frozen attrs), kept as its pickled bytes and decoded
        once per process (`_Decoded`)."""
        if self._wrote:
            return load()
        hit: bytes | None = self._cache.get(key)
        if hit is not None:
            return cast("T", _decoded.decode(hit))
        value = load()
        if value is not None:
            self._cache.set(key, _decoded.encode(value), self._ttl)
        return value

    def read_many_frozen(
        self, keys: Mapping[K, str], load: Callable[[Collection[K]], Mapping[K, T]]
    ) -> Mapping[K, T]:
        """`read_frozen` of many entries at once, named by `keys` (name → cache key): one
        `get_many` of the cache, one `load` of the names it misses, and one `set_many` of what
        that found. As in `read`, what `load` does not find is not stored, so it is asked for
        next time."""
        if self._wrote:
            return load(list(keys))
        if not keys:
            return {}
        hits: dict[str, bytes] = self._cache.get_many(list(keys.values()))
        found: dict[K, T] = {}
        missing: list[K] = []
        for name, key in keys.items():
            hit = hits.get(key)
            if hit is None:
                missing.append(name)
            else:
                found[name] = _decoded.decode(hit)
        if missing:
            loaded = load(missing)
            if loaded:
                self._cache.set_many(
                    {keys[name]: _decoded.encode(value) for name, value in loaded.items()},
                    self._ttl,
                )
            found.update(loaded)
        return found

    def read_generational(self, key: str, load: Callable[[], T | None]) -> T | None:
        """`read`, for a key that embeds a current `generation`: also kept in this process."""
        if self._wrote:
            return load()
        local = _local_copies.get(key)
        if local is not None:
            return cast("T", local)
        value = self.read(key, load)
        if value is not None:
            _local_copies.put(key, value, self._ttl)
        return value

    def generation(self, key: str) -> str:
        """The current generation named by `key`, started afresh when there is none."""
        return _generation(self._cache, key, self._ttl) or "unshared"

    def forget(self, keys: Iterable[str]) -> None:
        stale = list(keys)
        self._wrote = True
        self._cache.delete_many(stale)
        self._session.ensure_transaction()  # so that the callback waits for the commit
        transaction.on_commit(lambda: self._cache.delete_many(stale), using=self._session.using)


class CachedDataVersions:
    """The `DataVersions` of storage read through this cache: the generation that the cached
    repositories start afresh on every write of a location or a latest reading (deleted at
    once and again at commit, `ReadThroughCache.forget`). Shared by every process when the
    cache is (Redis); with the per-process memory cache, another process's writes are seen
    when the generation expires, as its cached entries are (`ttl_seconds`).

    `cache` gives the current thread's connection (Django's caches are per thread). A cache
    that keeps nothing (Django's dummy cache) cannot version: the stamp is `None`."""

    def __init__(self, cache: Callable[[], BaseCache], ttl_seconds: float) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    def stamp(self) -> str | None:
        return _generation(self._cache(), DATA_GENERATION, self._ttl)


class CachedLocationRepository:
    """A location and pages of the list, read through the cache; the rest straight through."""

    def __init__(self, cache: ReadThroughCache, session: Session) -> None:
        self._cache = cache
        self._stored: LocationRepository = DjangoLocationRepository(session)

    def add(self, location: Location) -> None:
        self._cache.forget([LOCATIONS_GENERATION, DATA_GENERATION])
        self._stored.add(location)

    def update(self, location: Location) -> None:
        self._cache.forget([location_key(location.id), LOCATIONS_GENERATION, DATA_GENERATION])
        self._stored.update(location)

    def remove(self, location_id: uuid.UUID) -> None:
        self._cache.forget(
            [
                *(key(location_id) for key in (location_key, latest_key, hourly_key, daily_key)),
                LOCATIONS_GENERATION,
                DATA_GENERATION,
            ]
        )
        self._stored.remove(location_id)

    def get(self, location_id: uuid.UUID) -> Location | None:
        return self._cache.read(location_key(location_id), partial(self._stored.get, location_id))

    def search(
        self, *, text: str | None, country_code: str | None, page: PageRequest
    ) -> Page[Location]:
        question = repr((text, country_code, page.page, page.page_size)).encode()
        key = (
            f"{PREFIX}:locations:{self._cache.generation(LOCATIONS_GENERATION)}:"
            f"{hashlib.sha256(question).hexdigest()[:32]}"
        )
        found = self._cache.read_generational(
            key, partial(self._stored.search, text=text, country_code=country_code, page=page)
        )
        return cast("Page[Location]", found)  # a search answers a page, never None

    def get_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Location]:
        return self._stored.get_many(location_ids)

    def get_by_coordinates(self, coordinates: Coordinates) -> Location | None:
        return self._stored.get_by_coordinates(coordinates)

    def all(self) -> Sequence[Location]:
        return self._stored.all()


class CachedObservationRepository:
    """Locations' latest readings, one or many at once, read through the cache; the rest
    straight through."""

    def __init__(self, cache: ReadThroughCache, session: Session) -> None:
        self._cache = cache
        self._stored: ObservationRepository = DjangoObservationRepository(session)

    def add_many(self, observations: Iterable[Observation]) -> int:
        readings = list(observations)
        self._cache.forget(
            [*{latest_key(reading.location_id) for reading in readings}, DATA_GENERATION]
        )
        return self._stored.add_many(readings)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        self._cache.forget([latest_key(location_id), DATA_GENERATION])
        self._stored.remove_for_location(location_id)

    def latest(self, location_id: uuid.UUID) -> Observation | None:
        return self._cache.read_frozen(
            latest_key(location_id), partial(self._stored.latest, location_id)
        )

    def get_many(self, keys: Collection[ObservationKey]) -> Mapping[ObservationKey, Observation]:
        return self._stored.get_many(keys)

    def latest_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Observation]:
        """The entries of `latest`, shared with it: a page of locations with their current
        weather and each location's current weather read the same cached readings."""
        return self._cache.read_many_frozen(
            {location_id: latest_key(location_id) for location_id in location_ids},
            self._stored.latest_many,
        )

    def history(
        self, location_id: uuid.UUID, start: datetime, end: datetime, page: PageRequest
    ) -> Page[Observation]:
        return self._stored.history(location_id, start, end, page)

    def daily_summaries(
        self, location_id: uuid.UUID, timezone: str, start: datetime, end: datetime
    ) -> Sequence[DailySummary]:
        return self._stored.daily_summaries(location_id, timezone, start, end)


class CachedForecastRepository:
    """A location's hourly and daily forecasts, read through the cache."""

    def __init__(self, cache: ReadThroughCache, session: Session) -> None:
        self._cache = cache
        self._stored: ForecastRepository = DjangoForecastRepository(session)

    def save_many(self, hourly: Sequence[HourlyForecast], daily: Sequence[DailyForecast]) -> None:
        self._cache.forget(
            [hourly_key(f.location_id) for f in hourly] + [daily_key(f.location_id) for f in daily]
        )
        self._stored.save_many(hourly, daily)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        self._cache.forget([hourly_key(location_id), daily_key(location_id)])
        self._stored.remove_for_location(location_id)

    def hourly(self, location_id: uuid.UUID) -> HourlyForecast | None:
        return self._cache.read(hourly_key(location_id), partial(self._stored.hourly, location_id))

    def daily(self, location_id: uuid.UUID) -> DailyForecast | None:
        return self._cache.read(daily_key(location_id), partial(self._stored.daily, location_id))
