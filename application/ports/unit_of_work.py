"""The `UnitOfWork` port: one atomic piece of work over all the repositories.

Use it as a context manager; `commit()` makes the changes durable, and leaving the block without
committing (or with an exception) discards them. One instance may be entered again after it
exits, but not while it is in use.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

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
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
