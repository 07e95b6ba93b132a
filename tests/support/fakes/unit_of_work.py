"""A unit of work over in-memory repositories, with real commit and rollback.

Entering takes a private snapshot of the committed state; `commit()` publishes a snapshot of the
working copy back. So, exactly like a database transaction, nothing a use case did is visible
unless it committed — including changes made by mutating entities in place. Snapshots keep the
repositories' classes, so a test can plant a failing repository in the store.

Events are kept as the Django unit of work keeps them (`application.recorded_events`): collected
by `commit()`, handed to the bus when the block ends, dropped when it ends without a commit. The
commit also logs them in the store's event log (`store.events`, the outbox), made by the same
`entries_for` as the Django outbox's rows. The log is shared by every snapshot rather than copied:
it is append-only, and a commit appends to it alone, so ids follow the order of the commits.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

import attrs

from application.events import Event
from application.message_bus import MessageBus
from application.ports.event_log import entries_for, locations_needed
from application.recorded_events import RecordedEvents
from tests.support.fakes.event_log import InMemoryEventLog
from tests.support.fakes.repositories import (
    InMemoryAlertRepository,
    InMemoryForecastRepository,
    InMemoryLocationRepository,
    InMemoryObservationRepository,
)


@attrs.define
class InMemoryStore:
    """The committed state, shared by every unit of work built on it (the "database")."""

    locations: InMemoryLocationRepository = attrs.Factory(InMemoryLocationRepository)
    observations: InMemoryObservationRepository = attrs.Factory(InMemoryObservationRepository)
    forecasts: InMemoryForecastRepository = attrs.Factory(InMemoryForecastRepository)
    alerts: InMemoryAlertRepository = attrs.Factory(InMemoryAlertRepository)
    events: InMemoryEventLog = attrs.Factory(InMemoryEventLog)

    def snapshot(self) -> InMemoryStore:
        return InMemoryStore(
            locations=self.locations.snapshot(),
            observations=self.observations.snapshot(),
            forecasts=self.forecasts.snapshot(),
            alerts=self.alerts.snapshot(),
            events=self.events,  # append-only, shared: see the module docstring
        )


class InMemoryUnitOfWork:
    def __init__(self, store: InMemoryStore | None = None, bus: MessageBus | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self.commits = 0
        self._working: InMemoryStore | None = None
        self._events = RecordedEvents(bus)

    def __enter__(self) -> Self:
        if self._working is not None:
            raise RuntimeError("This unit of work is already in use.")
        self._working = self.store.snapshot()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._working = None
        self._events.end()

    @property
    def locations(self) -> InMemoryLocationRepository:
        return self._state.locations

    @property
    def observations(self) -> InMemoryObservationRepository:
        return self._state.observations

    @property
    def forecasts(self) -> InMemoryForecastRepository:
        return self._state.forecasts

    @property
    def alerts(self) -> InMemoryAlertRepository:
        return self._state.alerts

    def record(self, *events: Event) -> None:
        if self._working is None:
            raise RuntimeError("Use the unit of work inside a `with` block.")
        self._events.record(events)

    def commit(self) -> None:
        committed = self._state.snapshot()
        events = self._events.collect_new_events()
        at = self.store.events.now()
        entries = entries_for(
            events, locations=committed.locations.get_many(locations_needed(events)), at=at
        )
        self.store.locations = committed.locations
        self.store.observations = committed.observations
        self.store.forecasts = committed.forecasts
        self.store.alerts = committed.alerts
        self.store.events.append(entries, at)
        self.commits += 1
        self._events.committed(events)

    @property
    def _state(self) -> InMemoryStore:
        if self._working is None:
            raise RuntimeError("Use the unit of work inside a `with` block.")
        return self._working
