"""Daily summaries: observations grouped by the local calendar day of their location.

A "day" is the location's day, from local midnight to the next local midnight, so it lasts 23 or
25 hours when the clocks change; grouping by UTC date would put a Tokyo morning in yesterday.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import attrs

from domain.observations import Observation
from domain.timekeeping import zone


@attrs.frozen(kw_only=True)
class DailySummary:
    """The aggregate of one local day's readings; a statistic is `None` when no reading had it."""

    date: date
    temperature_min: float | None
    temperature_max: float | None
    temperature_mean: float | None
    precipitation_sum: float | None
    observation_count: int


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
    tz = zone(timezone)
    by_day: defaultdict[date, list[Observation]] = defaultdict(list)
    for observation in observations:
        by_day[observation.observed_at.astimezone(tz).date()].append(observation)
    return [_summarize(day, by_day[day]) for day in sorted(by_day)]


def _summarize(day: date, readings: list[Observation]) -> DailySummary:
    temperatures = [r.temperature for r in readings if r.temperature is not None]
    precipitation = [r.precipitation for r in readings if r.precipitation is not None]
    return DailySummary(
        date=day,
        temperature_min=min(temperatures, default=None),
        temperature_max=max(temperatures, default=None),
        temperature_mean=math.fsum(temperatures) / len(temperatures) if temperatures else None,
        precipitation_sum=math.fsum(precipitation) if precipitation else None,
        observation_count=len(readings),
    )
