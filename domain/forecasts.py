"""Forecasts: what a provider expects, hour by hour and day by day, for one location.

A forecast is replaced as a whole by the next fetch; only its points from "now" on are of interest.
Points are ordered and unique by time (or date), which the constructor enforces.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

import attrs

from domain.errors import InvalidInput
from domain.readings import (
    amount_reading,
    celsius_reading,
    degrees_reading,
    optional_weather_code,
    percent_reading,
)
from domain.timekeeping import (
    require_optional_utc,
    require_utc,
    to_optional_utc,
    to_utc,
)
from domain.weather_codes import condition_for


@attrs.frozen(kw_only=True)
class HourlyPoint:
    """The expected weather for the hour starting at `time` (UTC)."""

    time: datetime = attrs.field(converter=to_utc, validator=require_utc)
    temperature: float | None = celsius_reading()
    apparent_temperature: float | None = celsius_reading()
    relative_humidity: float | None = percent_reading()
    precipitation_probability: float | None = percent_reading()
    precipitation: float | None = amount_reading()
    wind_speed: float | None = amount_reading()
    wind_direction: float | None = degrees_reading()
    weather_code: int | None = optional_weather_code()

    @property
    def condition(self) -> str | None:
        return condition_for(self.weather_code)


@attrs.frozen(kw_only=True)
class DailyPoint:
    """The expected weather of one local calendar day of the location."""

    date: date
    temperature_min: float | None = celsius_reading()
    temperature_max: float | None = celsius_reading()
    precipitation_sum: float | None = amount_reading()
    precipitation_probability_max: float | None = percent_reading()
    wind_speed_max: float | None = amount_reading()
    weather_code: int | None = optional_weather_code()
    sunrise: datetime | None = attrs.field(
        default=None, converter=to_optional_utc, validator=require_optional_utc
    )
    sunset: datetime | None = attrs.field(
        default=None, converter=to_optional_utc, validator=require_optional_utc
    )

    def __attrs_post_init__(self) -> None:
        low, high = self.temperature_min, self.temperature_max
        if low is not None and high is not None and low > high:
            raise InvalidInput("temperature_max", "must not be below temperature_min.")

    @property
    def condition(self) -> str | None:
        return condition_for(self.weather_code)


def _hourly_points(points: Iterable[HourlyPoint]) -> tuple[HourlyPoint, ...]:
    ordered = tuple(sorted(points, key=lambda point: point.time))
    if len({point.time for point in ordered}) != len(ordered):
        raise InvalidInput("hourly", "must not hold two points for the same hour.")
    return ordered


def _daily_points(points: Iterable[DailyPoint]) -> tuple[DailyPoint, ...]:
    ordered = tuple(sorted(points, key=lambda point: point.date))
    if len({point.date for point in ordered}) != len(ordered):
        raise InvalidInput("daily", "must not hold two points for the same date.")
    return ordered


@attrs.frozen(kw_only=True)
class HourlyForecast:
    """The hourly forecast one provider gave for one location at `fetched_at`."""

    location_id: uuid.UUID
    provider: str
    fetched_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    points: tuple[HourlyPoint, ...] = attrs.field(converter=_hourly_points)

    def from_hour(self, now: datetime, hours: int) -> Sequence[HourlyPoint]:
        """The next `hours` points, starting with the hour that contains `now`."""
        start = now.replace(minute=0, second=0, microsecond=0)
        return [point for point in self.points if point.time >= start][:hours]


@attrs.frozen(kw_only=True)
class DailyForecast:
    """The daily forecast one provider gave for one location at `fetched_at`."""

    location_id: uuid.UUID
    provider: str
    fetched_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    points: tuple[DailyPoint, ...] = attrs.field(converter=_daily_points)

    def from_day(self, today: date, days: int) -> Sequence[DailyPoint]:
        """The points of `today` and the `days - 1` days after it."""
        last = today + timedelta(days=days - 1)
        return [point for point in self.points if today <= point.date <= last]
