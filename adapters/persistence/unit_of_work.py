"""The unit of work over Django's transactions: nothing a use case writes lasts unless it commits.

Its transaction opens at the first storage operation (see ``session.py``), so a unit of work the
cache answers never touches the database; ``commit()`` closes it successfully and the next
operation opens a fresh one; leaving without committing rolls back. Nested inside another atomic
block (a test, a request with ATOMIC_REQUESTS) it becomes a savepoint, with the same
all-or-nothing meaning.

Events recorded in it (``record``) are collected by ``commit()`` while its transaction is still
open and written there to the outbox of the live event stream (``events/outbox.py``: the
client-facing ones become rows of the event log, in the same transaction), kept once the
transaction has committed, and handed to the message bus when the block ends; events of a block
left without committing, or of a commit that failed, are dropped and leave no row
(``application/recorded_events.py``).
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from adapters.persistence.cache import (
    CachedForecastRepository,
    CachedLocationRepository,
    CachedObservationRepository,
    ReadThroughCache,
)
from adapters.persistence.errors import translated_database_errors
from adapters.persistence.events.outbox import Outbox
from adapters.persistence.repositories.alerts import DjangoAlertRepository
from adapters.persistence.session import Session
from application.events import Event
from application.message_bus import MessageBus
from application.recorded_events import RecordedEvents


class DjangoUnitOfWork:
    """Locations, latest readings and forecasts are read through `cache` (Django's default
    cache unless told otherwise; see ``cache.py``), so every unit of work — web, worker, CLI,
    tests — drops what its writes make stale. Its committed events go to `bus` (none: a bus
    nobody listens to)."""

    def __init__(
        self,
        using: str = "default",
        cache: BaseCache | None = None,
        cache_ttl: float = 5.0,
        bus: MessageBus | None = None,
    ) -> None:
        self.using = using
        self._session = Session(using)
        self._cache = ReadThroughCache(
            caches["default"] if cache is None else cache, cache_ttl, self._session
        )
        self.locations = CachedLocationRepository(self._cache, self._session)
        self.observations = CachedObservationRepository(self._cache, self._session)
        self.forecasts = CachedForecastRepository(self._cache, self._session)
        self.alerts = DjangoAlertRepository(self._session)
        self._events = RecordedEvents(bus)
        self._outbox = Outbox(self._session)
        self._active = False

    def __enter__(self) -> Self:
        if self._active:
            raise RuntimeError("This unit of work is already in use.")
        self._active = True
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._active = False
        try:
            self._session.end(commit=False, exc_type=exc_type, exc=exc, traceback=traceback)
        finally:
            self._events.end()

    def record(self, *events: Event) -> None:
        if not self._active:
            raise RuntimeError("Use the unit of work inside a `with` block.")
        self._events.record(events)

    def commit(self) -> None:
        # Collected while the transaction is open, and logged in it: the outbox of the live
        # events (``events/outbox.py``), which a rollback takes with the change.
        events = self._events.collect_new_events()
        with translated_database_errors():
            self._outbox.write(events)
            self._session.end(commit=True)
        self._events.committed(events)
        self._begin()

    def _begin(self) -> None:
        self._cache.begin()
        self._session.begin()
