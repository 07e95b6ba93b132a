"""Fill a location's history from an archive provider: fetched a month at a time, stored a day at
a time, with progress reported after every stored day."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, timedelta

import attrs

from application.lookups import require_location
from application.ports.clock import Clock
from application.ports.providers import HistoryProvider
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_date_range
from domain.errors import InvalidInput
from domain.locations import Location
from domain.observations import Observation, deduplicate

CHUNK_DAYS = 31
"""Days per archive request: a month of hourly readings is one modest answer."""


@attrs.frozen(kw_only=True)
class BackfillProgress:
    """Where a backfill stands after storing `day` (a UTC date)."""

    day: date
    days_done: int
    days_total: int
    observations_stored: int
    """So far, over every day done."""


ProgressCallback = Callable[[BackfillProgress], None]
"""Called after each stored day, in order, e.g. to advance a progress bar."""


@attrs.frozen(kw_only=True)
class BackfillHistoryCommand:
    """UTC dates `start` to `end`, both included, at most 366 days, none after today."""

    location_id: uuid.UUID
    start: date
    end: date


@attrs.frozen(kw_only=True)
class BackfillHistoryResult:
    location_id: uuid.UUID
    provider: str
    days: int
    observations_stored: int


def check_backfill_dates(start: date, end: date, *, today: date) -> None:
    """The range rules of every query (`check_date_range`), and no day after `today` (UTC): the
    archive has nothing there, and asking would only cost a provider call that stores nothing.
    Shared with `RequestBackfill`, so a queued backfill is refused for the same reasons."""
    check_date_range(start, end)
    for field, day in (("start", start), ("end", end)):
        if day > today:
            raise InvalidInput(field, f"must not be after today ({today.isoformat()}, UTC).")


class BackfillHistory:
    """Each chunk is fetched outside any unit of work, then stored one UTC day per unit of work,
    so an interrupted backfill keeps every day it finished, a rerun only adds what is missing, and
    progress follows what is really stored without asking the provider more often. Archive
    readings raise no events: alerts are about now, not about last spring."""

    def __init__(self, uow: UnitOfWork, history: HistoryProvider, clock: Clock) -> None:
        self._uow = uow
        self._history = history
        self._clock = clock

    def execute(
        self, command: BackfillHistoryCommand, on_progress: ProgressCallback | None = None
    ) -> BackfillHistoryResult:
        today = self._clock.now().astimezone(UTC).date()
        check_backfill_dates(command.start, command.end, today=today)
        with self._uow as uow:
            location = require_location(uow, command.location_id)
        total_days = (command.end - command.start).days + 1
        stored = 0
        done = 0
        for chunk_start, chunk_end in _chunks(command.start, command.end):
            readings = deduplicate(self._history.fetch_history(location, chunk_start, chunk_end))
            by_day = _by_utc_day(location, readings, chunk_start, chunk_end)
            for day in _days(chunk_start, chunk_end):
                stored += self._store(by_day.get(day, ()))
                done += 1
                if on_progress is not None:
                    on_progress(
                        BackfillProgress(
                            day=day,
                            days_done=done,
                            days_total=total_days,
                            observations_stored=stored,
                        )
                    )
        return BackfillHistoryResult(
            location_id=location.id,
            provider=self._history.name,
            days=total_days,
            observations_stored=stored,
        )

    def _store(self, readings: Sequence[Observation]) -> int:
        """Stores the readings that are news; a day without any costs no unit of work."""
        if not readings:
            return 0
        with self._uow as uow:
            known = uow.observations.get_many([reading.key for reading in readings])
            news = [
                reading for reading in readings if reading.is_news_against(known.get(reading.key))
            ]
            stored = uow.observations.add_many(news)
            uow.commit()
        return stored


def _chunks(start: date, end: date) -> Iterator[tuple[date, date]]:
    chunk_start = start
    while chunk_start <= end:
        chunk_end = min(chunk_start + timedelta(days=CHUNK_DAYS - 1), end)
        yield chunk_start, chunk_end
        chunk_start = chunk_end + timedelta(days=1)


def _days(start: date, end: date) -> Iterator[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def _by_utc_day(
    location: Location, readings: Sequence[Observation], start: date, end: date
) -> dict[date, list[Observation]]:
    """The location's readings by UTC day; one stamped just outside the asked days (a provider's
    rounding) is stored with the nearest asked day rather than dropped."""
    days: defaultdict[date, list[Observation]] = defaultdict(list)
    for reading in readings:
        if reading.location_id != location.id:
            continue
        day = reading.observed_at.astimezone(UTC).date()
        days[min(max(day, start), end)].append(reading)
    return days
