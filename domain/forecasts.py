"""Forecasts: what a provider expects, hour by hour and day by day, for one location.

A forecast is replaced as a whole by the next fetch; only its points from "now" on are of interest.
Points are ordered and unique by time (or date), which the constructor enforces.

A provider's hourly forecast arrives as columns (a time array and one array per metric), 384
hours a location: `HourlyForecast.from_columns` checks each column whole against the rules of
its field (`domain.readings`), then builds the points without checking every value again, one
field at a time. A column that does not pass at once is checked value by value, through the
fields' own validators, so the error is the one the point's constructor would raise.
"""

from __future__ import annotations

import operator
import uuid
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice, repeat
from typing import Any

import attrs

from domain.errors import InvalidInput
from domain.readings import (
    amount_reading,
    celsius_reading,
    degrees_reading,
    optional_weather_code,
    percent_reading,
    rule_of,
)
from domain.timekeeping import (
    require_optional_utc,
    require_utc,
    to_optional_utc,
    to_utc,
)
from domain.weather_codes import condition_for

_time = operator.attrgetter("time")


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
    ordered = tuple(sorted(points, key=_time))
    if len(set(map(_time, ordered))) != len(ordered):
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

    @classmethod
    def from_columns(
        cls,
        *,
        location_id: uuid.UUID,
        provider: str,
        fetched_at: datetime,
        times: Sequence[datetime],
        columns: Mapping[str, Sequence[float | int | None]],
    ) -> HourlyForecast:
        """The forecast whose point `i` is at `times[i]` with `columns[name][i]` for each named
        metric (a metric without a column is missing at every hour).

        Refuses exactly what building each `HourlyPoint` would refuse, with the same
        `InvalidInput` (a column that fails its check sends the whole forecast the per-point way,
        so the error is the first one that way meets); only faster when nothing is wrong: a whole
        column per check, and no converter or validator per value.
        """
        unknown = set(columns) - set(_HOURLY_RULES)
        if unknown:
            raise InvalidInput("hourly", "has no metric {names}.", names=", ".join(sorted(unknown)))
        for name, column in columns.items():
            if len(column) != len(times):
                raise InvalidInput(name, "must have one value per hour.")
        try:
            checked = {
                name: _HOURLY_RULES[name].column(name, values) for name, values in columns.items()
            }
        except InvalidInput:
            checked = None
        points: Iterable[HourlyPoint]
        if checked is None or not _utc_and_increasing(times):
            # A refused value, or times to convert or sort: the constructor's own way, which
            # raises the error building the points one by one would raise.
            points = (
                HourlyPoint(time=moment, **dict(zip(columns, values, strict=True)))
                for moment, *values in zip(times, *columns.values(), strict=True)
            )
        else:
            missing = [None] * len(times)
            points = _trusted_hourly_points(
                [times, *(checked.get(name, missing) for name in _HOURLY_RULES)]
            )
        return cls(location_id=location_id, provider=provider, fetched_at=fetched_at, points=points)

    def from_hour(self, now: datetime, hours: int) -> Sequence[HourlyPoint]:
        """The next `hours` points, starting with the hour that contains `now`."""
        start = now.replace(minute=0, second=0, microsecond=0)
        return [point for point in self.points if point.time >= start][:hours]


_HOURLY_FIELDS = attrs.fields(HourlyPoint)
if _HOURLY_FIELDS[0].name != "time":  # pragma: no cover - the order `_trusted_hourly_points` uses
    raise AssertionError("HourlyPoint's first field must be its time")
_HOURLY_RULES = {field.name: rule_of(field) for field in _HOURLY_FIELDS[1:]}
_new_hourly_point = HourlyPoint.__new__
#: The slots of each field, in field order (attrs' frozen classes have slots): setting one
#: through its descriptor is what attrs' own `__init__` does, without the converter and the
#: validator that `from_columns` ran on the whole column before.
_HOURLY_SLOTS = tuple(HourlyPoint.__dict__[field.name].__set__ for field in _HOURLY_FIELDS)


def _trusted_hourly_points(columns: list[Sequence[Any]]) -> list[HourlyPoint]:
    """Points from columns already checked, in field order: each field set for every point in
    one pass (a C loop per column, no Python call per point)."""
    points = list(map(_new_hourly_point, repeat(HourlyPoint, len(columns[0]))))
    for set_slot, column in zip(_HOURLY_SLOTS, columns, strict=True):
        deque(map(set_slot, points, column), maxlen=0)
    return points


def _utc_and_increasing(times: Sequence[datetime]) -> bool:
    """Whether every time is a `datetime` in UTC and each comes after the one before."""
    return (
        set(map(type, times)) <= {datetime}
        and set(map(_tzinfo, times)) <= {UTC}
        and all(map(operator.lt, times, islice(times, 1, None)))
    )


_tzinfo = operator.attrgetter("tzinfo")


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
