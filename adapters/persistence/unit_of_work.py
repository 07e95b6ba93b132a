"""The unit of work over Django's transactions: nothing a use case writes lasts unless it commits.

Entering opens ``transaction.atomic``; ``commit()`` closes it successfully and opens a fresh one for
whatever the use case does next; leaving without committing rolls back. Nested inside another
atomic block (a test, a request with ATOMIC_REQUESTS) it becomes a savepoint, with the same
all-or-nothing meaning.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from django.db import transaction

from adapters.persistence.errors import translated_database_errors
from adapters.persistence.repositories import (
    DjangoAlertRepository,
    DjangoForecastRepository,
    DjangoLocationRepository,
    DjangoObservationRepository,
)


class DjangoUnitOfWork:
    def __init__(self, using: str = "default") -> None:
        self.using = using
        self.locations = DjangoLocationRepository(using)
        self.observations = DjangoObservationRepository(using)
        self.forecasts = DjangoForecastRepository(using)
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
