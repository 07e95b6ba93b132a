"""Read the stored readings of a location over a time range, a page at a time."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import attrs

from application.lookups import require_location
from application.pagination import DEFAULT_PAGE_SIZE, PageRequest
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_instant_range, instant
from application.results.weather import HistoryResult, ObservationResult
from domain.units import UnitSystem

DEFAULT_SPAN = timedelta(hours=24)


@attrs.frozen(kw_only=True)
class GetHistoryQuery:
    """`[start, end)`; without `end` it is now, without `start` it is 24 hours before `end`."""

    location_id: uuid.UUID
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    units: UnitSystem = UnitSystem.METRIC


class GetHistory:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, query: GetHistoryQuery) -> HistoryResult:
        end = self._clock.now() if query.end is None else instant("end", query.end)
        start = end - DEFAULT_SPAN if query.start is None else instant("start", query.start)
        check_instant_range(start, end)
        page = PageRequest(query.page, query.page_size)
        with self._uow as uow:
            require_location(uow, query.location_id)
            readings = uow.observations.history(query.location_id, start, end, page)
        return HistoryResult(
            location_id=query.location_id,
            start=start,
            end=end,
            units=query.units.labels,
            page=readings.map(lambda reading: ObservationResult.from_domain(reading, query.units)),
        )
