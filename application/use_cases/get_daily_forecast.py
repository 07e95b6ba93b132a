"""Read the daily forecast of a location, from its local today on."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_location
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.weather import DailyForecastResult, DailyPointResult
from domain.aggregation import local_date
from domain.errors import InvalidInput, NotFound
from domain.units import UnitSystem

MAX_DAYS = 16


@attrs.frozen(kw_only=True)
class GetDailyForecastQuery:
    location_id: uuid.UUID
    days: int = 7
    units: UnitSystem = UnitSystem.METRIC


class GetDailyForecast:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, query: GetDailyForecastQuery) -> DailyForecastResult:
        if not 1 <= query.days <= MAX_DAYS:
            raise InvalidInput("days", "must be between 1 and {maximum}.", maximum=MAX_DAYS)
        with self._uow as uow:
            location = require_location(uow, query.location_id)
            forecast = uow.forecasts.daily(query.location_id)
        if forecast is None:
            raise NotFound("Daily forecast of location {id} was not found.", id=query.location_id)
        today = local_date(self._clock.now(), location.timezone)
        points = forecast.from_day(today, query.days)
        return DailyForecastResult(
            location_id=location.id,
            provider=forecast.provider,
            fetched_at=forecast.fetched_at,
            timezone=location.timezone,
            units=query.units.labels,
            daily=tuple(DailyPointResult.from_domain(point, query.units) for point in points),
        )
