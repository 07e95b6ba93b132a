"""The unit of work over Django's transactions: nothing a use case writes lasts unless it commits.

Entering opens ``transaction.atomic``; ``commit()`` closes it successfully and opens a fresh one for
whatever the use case does next; leaving without committing rolls back. Nested inside another
atomic block (a test, a request with ATOMIC_REQUESTS) it becomes a savepoint, with the same
all-or-nothing meaning.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db import transaction

from adapters.persistence.cache import (
    CachedForecastRepository,
    CachedLocationRepository,
    CachedObservationRepository,
    ReadThroughCache,
)
from adapters.persistence.errors import translated_database_errors
from adapters.persistence.repositories import DjangoAlertRepository


class DjangoUnitOfWork:
    """Locations, latest readings and forecasts are read through `cache` (Django's default
    cache unless told otherwise; see ``cache.py``), so every unit of work — web, worker, CLI,
    tests — drops what its writes make stale."""

    def __init__(
        self, using: str = "default", cache: BaseCache | None = None, cache_ttl: float = 5.0
    ) -> None:
        self.using = using
        self._cache = ReadThroughCache(
            caches["default"] if cache is None else cache, cache_ttl, using
        )
        self.locations = CachedLocationRepository(self._cache, using)
        self.observations = CachedObservationRepository(self._cache, using)
        self.forecasts = CachedForecastRepository(self._cache, using)
        self.alerts = DjangoAlertRepository(using)
        self._atomic: transaction.Atomic | None = None

    def __enter__(self) -> Self:
        if self._atomic is not None:
            raise RuntimeError("This unit of work is already in use.")
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._end(commit=False, exc_type=exc_type, exc=exc, traceback=traceback)

    def commit(self) -> None:
        with translated_database_errors():
            self._end(commit=True)
        self._begin()

    def rollback(self) -> None:
        self._end(commit=False)
        self._begin()

    def _begin(self) -> None:
        self._cache.begin()
        with translated_database_errors():
            self._atomic = transaction.atomic(using=self.using)
            self._atomic.__enter__()

    def _end(
        self,
        *,
        commit: bool,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        atomic, self._atomic = self._atomic, None
        if atomic is None:
            return
        if not commit:
            transaction.set_rollback(True, using=self.using)
        atomic.__exit__(exc_type, exc, traceback)
