"""Read the hourly forecast of a location, from the current hour on."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_location
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.weather import HourlyForecastResult, HourlyPointResult
from domain.errors import InvalidInput, NotFound
from domain.units import UnitSystem

MAX_HOURS = 384


@attrs.frozen(kw_only=True)
class GetHourlyForecastQuery:
    location_id: uuid.UUID
    hours: int = 48
    units: UnitSystem = UnitSystem.METRIC


class GetHourlyForecast:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, query: GetHourlyForecastQuery) -> HourlyForecastResult:
        if not 1 <= query.hours <= MAX_HOURS:
            raise InvalidInput("hours", "must be between 1 and {maximum}.", maximum=MAX_HOURS)
        with self._uow as uow:
            location = require_location(uow, query.location_id)
            forecast = uow.forecasts.hourly(query.location_id)
        if forecast is None:
            raise NotFound("Hourly forecast of location {id} was not found.", id=query.location_id)
        points = forecast.from_hour(self._clock.now(), query.hours)
        return HourlyForecastResult(
            location_id=location.id,
            provider=forecast.provider,
            fetched_at=forecast.fetched_at,
            timezone=location.timezone,
            units=query.units.labels,
            hourly=tuple(HourlyPointResult.from_domain(point, query.units) for point in points),
        )
