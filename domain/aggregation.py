"""Daily aggregation: readings and forecast steps grouped by the local calendar day of their
location, and the statistics of each day.

A "day" is the location's day, from local midnight to the next local midnight, so it lasts 23 or
25 hours when the clocks change; grouping by UTC date would put a Tokyo morning in yesterday.

One rule serves every daily figure the core makes from timed values: the summaries of stored
readings (`summarize_daily`, which the SQL of the persistence adapter must match: a contract test
holds the two to the same answers) and the daily forecast of a provider that gives only time
steps (`daily_forecast`). What a provider's steps mean (which of its periods covers a step) is
its own mapping into `Sample`; how samples make a day is decided here and nowhere else.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

import attrs

from domain.forecasts import DailyPoint
from domain.observations import Observation
from domain.timekeeping import require_utc, to_utc, zone

_Number = TypeVar("_Number", int, float)


@attrs.frozen(kw_only=True)
class DailySummary:
    """The aggregate of one local day's readings; a statistic is `None` when no reading had it."""

    date: date
    temperature_min: float | None
    temperature_max: float | None
    temperature_mean: float | None
    precipitation_sum: float | None
    observation_count: int


@attrs.frozen(kw_only=True)
class Sample:
    """What a day is made of: one reading or forecast step, at `time`; `None` is "not given".

    A sample belongs to the local day in which `time` falls, whatever span it covers.
    """

    time: datetime = attrs.field(converter=to_utc, validator=require_utc)
    temperature: float | None = None
    """The temperature at `time`; the day's mean is that of these alone."""
    # Extremes the span after `time` reached, where the source gives them (a forecast period's
    # minimum and maximum): they count towards the day's minimum and maximum, not its mean.
    temperature_low: float | None = None
    temperature_high: float | None = None
    precipitation: float | None = None
    """The amount of the span from `time` to the next sample. The day adds them, so spans must
    not overlap or rain is counted twice: choosing a span that fits is the source's mapping."""
    precipitation_probability: float | None = None
    wind_speed: float | None = None
    weather_code: int | None = None


def local_day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """`[start, end)` in UTC of local `day`: from its first local instant to the next day's.

    When midnight does not exist (a DST gap at 00:00) zoneinfo resolves it to the instant the
    clocks jump, which is exactly when the day begins.
    """
    tz = zone(timezone)
    start = datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    return start, end


def local_date(instant: datetime, timezone: str) -> date:
    """The calendar date at the location when `instant` happened."""
    return instant.astimezone(zone(timezone)).date()


def summarize_daily(observations: Iterable[Observation], timezone: str) -> list[DailySummary]:
    """One summary per local day that has readings, in date order."""
    samples = (
        Sample(time=o.observed_at, temperature=o.temperature, precipitation=o.precipitation)
        for o in observations
    )
    return [
        DailySummary(
            date=day.date,
            temperature_min=day.temperature_min,
            temperature_max=day.temperature_max,
            temperature_mean=day.temperature_mean,
            precipitation_sum=day.precipitation_sum,
            observation_count=day.count,
        )
        for day in _by_local_day(samples, timezone)
    ]


def daily_forecast(samples: Iterable[Sample], timezone: str) -> list[DailyPoint]:
    """One forecast point per local day that has steps, in date order. The first and last days
    hold only the steps given, and the day's weather code is its most severe one (WMO codes grow
    with severity). Sunrise and sunset are not aggregates: they stay missing."""
    return [
        DailyPoint(
            date=day.date,
            temperature_min=day.temperature_min,
            temperature_max=day.temperature_max,
            precipitation_sum=day.precipitation_sum,
            precipitation_probability_max=day.precipitation_probability_max,
            wind_speed_max=day.wind_speed_max,
            weather_code=day.weather_code,
        )
        for day in _by_local_day(samples, timezone)
    ]


@attrs.frozen(kw_only=True)
class _Day:
    """Every statistic of one local day; each caller keeps the ones its result has."""

    date: date
    count: int
    temperature_min: float | None
    temperature_max: float | None
    temperature_mean: float | None
    precipitation_sum: float | None
    precipitation_probability_max: float | None
    wind_speed_max: float | None
    weather_code: int | None


def _by_local_day(samples: Iterable[Sample], timezone: str) -> list[_Day]:
    tz = zone(timezone)
    by_day: defaultdict[date, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_day[sample.time.astimezone(tz).date()].append(sample)
    return [_day(day, by_day[day]) for day in sorted(by_day)]


def _day(day: date, samples: list[Sample]) -> _Day:
    temperatures = _given(s.temperature for s in samples)
    lows = temperatures + _given(s.temperature_low for s in samples)
    highs = temperatures + _given(s.temperature_high for s in samples)
    precipitation = _given(s.precipitation for s in samples)
    return _Day(
        date=day,
        count=len(samples),
        temperature_min=min(lows, default=None),
        temperature_max=max(highs, default=None),
        temperature_mean=math.fsum(temperatures) / len(temperatures) if temperatures else None,
        precipitation_sum=math.fsum(precipitation) if precipitation else None,
        precipitation_probability_max=max(
            _given(s.precipitation_probability for s in samples), default=None
        ),
        wind_speed_max=max(_given(s.wind_speed for s in samples), default=None),
        weather_code=max(_given(s.weather_code for s in samples), default=None),
    )


def _given(values: Iterable[_Number | None]) -> list[_Number]:
    return [value for value in values if value is not None]
