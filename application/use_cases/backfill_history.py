"""Fill a location's history from an archive provider, by the location's own calendar days:
fetched a month of days at a time, stored a day at a time, with progress reported after every
stored day.

The dates are the location's local dates, as the daily summaries are: a backfill of 24 to 26
October in Paris covers 24 October 00:00 +02:00 to 27 October 00:00 +01:00, 24, 25 and 24 hours
(a day of 23 hours when the clocks go forward), so each day it fills summarises over the whole day.

"Today" is the location's too (the same today as the daily summaries' default end): a date is
refused when it has not yet begun there, whatever the UTC date is. In Kiritimati (UTC+14) the
local day that begins at 10:00 UTC may be asked for from then on; in Los Angeles the UTC date
turns a day ahead at 16:00 or 17:00 local time, and the local tomorrow stays refused until it
begins.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta

import attrs

from application.lookups import require_location
from application.ports.clock import Clock
from application.ports.providers import HistoryProvider
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_date_range
from domain.aggregation import local_date
from domain.errors import InvalidInput
from domain.locations import Location
from domain.observations import Observation, deduplicate

CHUNK_DAYS = 31
"""Local days per archive request: a month of hourly readings is one modest answer."""


@attrs.frozen(kw_only=True)
class BackfillProgress:
    """Where a backfill stands after storing `day` (a local date of the location)."""

    day: date
    days_done: int
    days_total: int
    observations_stored: int
    """So far, over every day done."""


ProgressCallback = Callable[[BackfillProgress], None]
"""Called after each stored day, in order, e.g. to advance a progress bar."""


@attrs.frozen(kw_only=True)
class BackfillHistoryCommand:
    """The location's local dates `start` to `end`, both included, at most 366 days, none after
    the location's today."""

    location_id: uuid.UUID
    start: date
    end: date


@attrs.frozen(kw_only=True)
class BackfillHistoryResult:
    location_id: uuid.UUID
    provider: str
    days: int
    observations_stored: int


def check_not_after_today(start: date, end: date, *, location: Location, now: datetime) -> None:
    """No day after the location's today (`now` at the location): the archive has nothing
    there, and asking would only cost a provider call that stores nothing. Shared with
    `RequestBackfill`, so a queued backfill is refused for the same reasons; the range rules of
    every query (`check_date_range`) come first, before the location is looked up."""
    today = local_date(now, location.timezone)
    for field, day in (("start", start), ("end", end)):
        if day > today:
            raise InvalidInput(
                field,
                "must not be after today ({today}, {timezone}).",
                today=today.isoformat(),
                timezone=location.timezone,
            )


class BackfillHistory:
    """Each chunk is fetched outside any unit of work, then stored one local day per unit of
    work, so an interrupted backfill keeps every day it finished, a rerun only adds what is
    missing, and progress follows what is really stored without asking the provider more often.
    Archive readings raise no events: alerts are about now, not about last spring."""

    def __init__(self, uow: UnitOfWork, history: HistoryProvider, clock: Clock) -> None:
        self._uow = uow
        self._history = history
        self._clock = clock

    def execute(
        self, command: BackfillHistoryCommand, on_progress: ProgressCallback | None = None
    ) -> BackfillHistoryResult:
        check_date_range(command.start, command.end)
        with self._uow as uow:
            location = require_location(uow, command.location_id)
        check_not_after_today(command.start, command.end, location=location, now=self._clock.now())
        total_days = (command.end - command.start).days + 1
        stored = 0
        done = 0
        for chunk_start, chunk_end in _chunks(command.start, command.end):
            readings = deduplicate(self._history.fetch_history(location, chunk_start, chunk_end))
            by_day = _by_local_day(location, readings, chunk_start, chunk_end)
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


def _by_local_day(
    location: Location, readings: Sequence[Observation], start: date, end: date
) -> dict[date, list[Observation]]:
    """The location's readings by its local day; one stamped just outside the asked days (a
    provider's rounding) is stored with the nearest asked day rather than dropped."""
    days: defaultdict[date, list[Observation]] = defaultdict(list)
    for reading in readings:
        if reading.location_id != location.id:
            continue
        day = local_date(reading.observed_at, location.timezone)
        days[min(max(day, start), end)].append(reading)
    return days
