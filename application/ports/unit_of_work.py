"""The `UnitOfWork` port: one atomic piece of work over all the repositories, and its events.

Use it as a context manager; `commit()` makes the changes durable, and leaving the block without
committing (or with an exception) discards them. One instance may be entered again after it
exits, but not while it is in use.

The code that changes state records what the change means with `record`; the unit of work
collects those events when it commits and hands them to the message bus when its block ends
(`application/recorded_events.py`): events of work that was not committed are never announced.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from application.events import Event
from application.ports.repositories import (
    AlertRepository,
    ForecastRepository,
    LocationRepository,
    ObservationRepository,
)


class UnitOfWork(Protocol):
    @property
    def locations(self) -> LocationRepository: ...

    @property
    def observations(self) -> ObservationRepository: ...

    @property
    def forecasts(self) -> ForecastRepository: ...

    @property
    def alerts(self) -> AlertRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed, drop its events, then hand the committed
        events to the message bus."""
        ...

    def record(self, *events: Event) -> None:
        """Note what the changes made in this unit mean; announced only if they are committed."""
        ...

    def commit(self) -> None:
        """Make the changes, and the events recorded with them, durable (collected before the
        transaction ends, so that they could be written in it)."""
        ...
