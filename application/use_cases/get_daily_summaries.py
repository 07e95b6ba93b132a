"""Aggregate a location's readings by its local calendar days."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import attrs

from application.lookups import require_location
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.ranges import check_date_range
from application.results.weather import DailySummariesResult, DailySummaryResult
from domain.aggregation import local_date, local_day_bounds
from domain.units import UnitSystem

DEFAULT_DAYS = 7


@attrs.frozen(kw_only=True)
class GetDailySummariesQuery:
    """Local dates, both included; without `end` it is the location's today, without `start`
    the week that ends on `end`."""

    location_id: uuid.UUID
    start: date | None = None
    end: date | None = None
    units: UnitSystem = UnitSystem.METRIC


class GetDailySummaries:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, query: GetDailySummariesQuery) -> DailySummariesResult:
        with self._uow as uow:
            location = require_location(uow, query.location_id)
            today = local_date(self._clock.now(), location.timezone)
            end = today if query.end is None else query.end
            start = end - timedelta(days=DEFAULT_DAYS - 1) if query.start is None else query.start
            check_date_range(start, end)
            window_start, _ = local_day_bounds(start, location.timezone)
            _, window_end = local_day_bounds(end, location.timezone)
            summaries = uow.observations.daily_summaries(
                location.id, location.timezone, window_start, window_end
            )
        return DailySummariesResult(
            location_id=location.id,
            timezone=location.timezone,
            start=start,
            end=end,
            units=query.units.labels,
            results=tuple(DailySummaryResult.from_domain(s, query.units) for s in summaries),
        )
