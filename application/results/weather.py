"""Results describing weather: readings, forecasts, history pages and daily summaries.

Each `from_domain` takes the caller's `UnitSystem` and converts through `domain.units.express`,
the single metric → imperial conversion of the code base.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import attrs

from application.pagination import Page
from domain.aggregation import DailySummary
from domain.forecasts import DailyPoint, HourlyPoint
from domain.observations import Observation
from domain.units import Quantity, UnitSystem, express


@attrs.frozen(kw_only=True)
class ObservationResult:
    location_id: uuid.UUID
    observed_at: datetime
    temperature: float | None
    apparent_temperature: float | None
    relative_humidity: float | None
    dew_point: float | None
    pressure: float | None
    wind_speed: float | None
    wind_direction: float | None
    wind_gusts: float | None
    precipitation: float | None
    cloud_cover: float | None
    weather_code: int | None
    condition: str | None
    is_day: bool | None
    provider: str
    fetched_at: datetime

    @classmethod
    def from_domain(cls, reading: Observation, units: UnitSystem) -> ObservationResult:
        return cls(
            location_id=reading.location_id,
            observed_at=reading.observed_at,
            temperature=express(Quantity.TEMPERATURE, reading.temperature, units),
            apparent_temperature=express(Quantity.TEMPERATURE, reading.apparent_temperature, units),
            relative_humidity=reading.relative_humidity,
            dew_point=express(Quantity.TEMPERATURE, reading.dew_point, units),
            pressure=express(Quantity.PRESSURE, reading.pressure, units),
            wind_speed=express(Quantity.SPEED, reading.wind_speed, units),
            wind_direction=reading.wind_direction,
            wind_gusts=express(Quantity.SPEED, reading.wind_gusts, units),
            precipitation=express(Quantity.PRECIPITATION, reading.precipitation, units),
            cloud_cover=reading.cloud_cover,
            weather_code=reading.weather_code,
            condition=reading.condition,
            is_day=reading.is_day,
            provider=reading.provider,
            fetched_at=reading.fetched_at,
        )


@attrs.frozen(kw_only=True)
class CurrentWeatherResult:
    """The latest reading; the contract flattens `reading` and adds `units`."""

    reading: ObservationResult
    units: dict[str, str]


@attrs.frozen(kw_only=True)
class HourlyPointResult:
    time: datetime
    temperature: float | None
    apparent_temperature: float | None
    relative_humidity: float | None
    precipitation_probability: float | None
    precipitation: float | None
    wind_speed: float | None
    wind_direction: float | None
    weather_code: int | None
    condition: str | None

    @classmethod
    def from_domain(cls, point: HourlyPoint, units: UnitSystem) -> HourlyPointResult:
        return cls(
            time=point.time,
            temperature=express(Quantity.TEMPERATURE, point.temperature, units),
            apparent_temperature=express(Quantity.TEMPERATURE, point.apparent_temperature, units),
            relative_humidity=point.relative_humidity,
            precipitation_probability=point.precipitation_probability,
            precipitation=express(Quantity.PRECIPITATION, point.precipitation, units),
            wind_speed=express(Quantity.SPEED, point.wind_speed, units),
            wind_direction=point.wind_direction,
            weather_code=point.weather_code,
            condition=point.condition,
        )


@attrs.frozen(kw_only=True)
class HourlyForecastResult:
    location_id: uuid.UUID
    provider: str
    fetched_at: datetime
    timezone: str
    units: dict[str, str]
    hourly: tuple[HourlyPointResult, ...]


@attrs.frozen(kw_only=True)
class DailyPointResult:
    date: date
    temperature_min: float | None
    temperature_max: float | None
    precipitation_sum: float | None
    precipitation_probability_max: float | None
    wind_speed_max: float | None
    weather_code: int | None
    condition: str | None
    sunrise: datetime | None
    sunset: datetime | None

    @classmethod
    def from_domain(cls, point: DailyPoint, units: UnitSystem) -> DailyPointResult:
        return cls(
            date=point.date,
            temperature_min=express(Quantity.TEMPERATURE, point.temperature_min, units),
            temperature_max=express(Quantity.TEMPERATURE, point.temperature_max, units),
            precipitation_sum=express(Quantity.PRECIPITATION, point.precipitation_sum, units),
            precipitation_probability_max=point.precipitation_probability_max,
            wind_speed_max=express(Quantity.SPEED, point.wind_speed_max, units),
            weather_code=point.weather_code,
            condition=point.condition,
            sunrise=point.sunrise,
            sunset=point.sunset,
        )


@attrs.frozen(kw_only=True)
class DailyForecastResult:
    location_id: uuid.UUID
    provider: str
    fetched_at: datetime
    timezone: str
    units: dict[str, str]
    daily: tuple[DailyPointResult, ...]


@attrs.frozen(kw_only=True)
class HistoryResult:
    """A page of readings in `[start, end)`, oldest first."""

    location_id: uuid.UUID
    start: datetime
    end: datetime
    units: dict[str, str]
    page: Page[ObservationResult]


@attrs.frozen(kw_only=True)
class DailySummaryResult:
    date: date
    temperature_min: float | None
    temperature_max: float | None
    temperature_mean: float | None
    precipitation_sum: float | None
    observation_count: int

    @classmethod
    def from_domain(cls, summary: DailySummary, units: UnitSystem) -> DailySummaryResult:
        return cls(
            date=summary.date,
            temperature_min=express(Quantity.TEMPERATURE, summary.temperature_min, units),
            temperature_max=express(Quantity.TEMPERATURE, summary.temperature_max, units),
            temperature_mean=express(Quantity.TEMPERATURE, summary.temperature_mean, units),
            precipitation_sum=express(Quantity.PRECIPITATION, summary.precipitation_sum, units),
            observation_count=summary.observation_count,
        )


@attrs.frozen(kw_only=True)
class DailySummariesResult:
    """Summaries of the local days `start` to `end` (both included) that have readings."""

    location_id: uuid.UUID
    timezone: str
    start: date
    end: date
    units: dict[str, str]
    results: tuple[DailySummaryResult, ...]
