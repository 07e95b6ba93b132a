"""Fill a location's history from an archive provider, a month at a time."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

import attrs

from application.lookups import require_location
from application.ports.providers import HistoryProvider
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_date_range
from domain.observations import deduplicate

CHUNK_DAYS = 31

ProgressCallback = Callable[[int, int], None]
"""Called with (days done, days in total) after each stored chunk, e.g. for a progress bar."""


@attrs.frozen(kw_only=True)
class BackfillHistoryCommand:
    """UTC dates `start` to `end`, both included, at most 366 days."""

    location_id: uuid.UUID
    start: date
    end: date


@attrs.frozen(kw_only=True)
class BackfillHistoryResult:
    location_id: uuid.UUID
    provider: str
    days: int
    observations_stored: int


class BackfillHistory:
    """Each chunk is fetched outside and stored inside its own unit of work, so an interrupted
    backfill keeps what it finished and a rerun only adds what is missing. Archive readings
    raise no events: alerts are about now, not about last spring."""

    def __init__(self, uow: UnitOfWork, history: HistoryProvider) -> None:
        self._uow = uow
        self._history = history

    def execute(
        self, command: BackfillHistoryCommand, on_progress: ProgressCallback | None = None
    ) -> BackfillHistoryResult:
        check_date_range(command.start, command.end)
        with self._uow as uow:
            location = require_location(uow, command.location_id)
        total_days = (command.end - command.start).days + 1
        stored = 0
        chunk_start = command.start
        while chunk_start <= command.end:
            chunk_end = min(chunk_start + timedelta(days=CHUNK_DAYS - 1), command.end)
            readings = deduplicate(self._history.fetch_history(location, chunk_start, chunk_end))
            with self._uow as uow:
                mine = [reading for reading in readings if reading.location_id == location.id]
                known = uow.observations.get_many([reading.key for reading in mine])
                news = [
                    reading for reading in mine if reading.is_news_against(known.get(reading.key))
                ]
                uow.observations.add_many(news)
                stored += len(news)
                uow.commit()
            if on_progress is not None:
                on_progress((chunk_end - command.start).days + 1, total_days)
            chunk_start = chunk_end + timedelta(days=1)
        return BackfillHistoryResult(
            location_id=location.id,
            provider=self._history.name,
            days=total_days,
            observations_stored=stored,
        )
