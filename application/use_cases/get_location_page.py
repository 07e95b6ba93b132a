"""Everything a person's page of one location shows, read in one unit of work.

The page (CONTRACT.md §5) shows the latest reading, the next 48 hours, the 7-day forecast, the
daily summaries of the last 7 local days and, for a signed-in viewer, their alert rules for the
place. Reading them together, rather than through the five use cases the API has, keeps the page
to one transaction and one snapshot: a refresh that commits meanwhile cannot give the page a
current reading newer than its forecast. A missing part (no reading yet, no forecast yet) is an
empty part, not an error: the page says so. Only an unknown location is `NotFound`.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import attrs

from application.lookups import require_location
from application.pagination import MAX_PAGE_SIZE, PageRequest
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertRuleResult
from application.results.locations import LocationResult
from application.results.weather import (
    DailyPointResult,
    DailySummaryResult,
    HourlyPointResult,
    ObservationResult,
)
from domain.aggregation import local_date, local_day_bounds
from domain.alerts import AlertRule
from domain.units import UnitSystem

#: What the page draws: the API's defaults for the same charts (`?hours=48`, `?days=7`, and the
#: week of `/weather/daily/`), so a client reading the API sees the page's numbers.
FORECAST_HOURS = 48
FORECAST_DAYS = 7
HISTORY_DAYS = 7
#: A latest reading older than this says the refreshes have stopped storing weather (every 15
#: minutes by default): the page warns that the providers may be down rather than look current.
STALE_AFTER = timedelta(hours=2)


@attrs.frozen(kw_only=True)
class GetLocationPageQuery:
    location_id: uuid.UUID
    units: UnitSystem = UnitSystem.METRIC
    #: The signed-in account looking at the page, whose rules it lists; `None` for anonymous.
    viewer_id: str | None = None


@attrs.frozen(kw_only=True)
class LocationPageResult:
    """Every number already in `unit_system` (alert thresholds stay metric, as stored and as
    the API gives them); `units` names the unit of each quantity."""

    location: LocationResult
    unit_system: UnitSystem
    units: dict[str, str]
    current: ObservationResult | None
    #: The latest reading is older than `STALE_AFTER`: the page says the providers may be down.
    current_is_stale: bool
    hourly: tuple[HourlyPointResult, ...]
    daily: tuple[DailyPointResult, ...]
    history: tuple[DailySummaryResult, ...]
    rules: tuple[AlertRuleResult, ...]


class GetLocationPage:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, query: GetLocationPageQuery) -> LocationPageResult:
        """Raises `NotFound` for an unknown location, `StorageUnavailable` when storage is down."""
        now = self._clock.now()
        units = query.units
        with self._uow as uow:
            location = require_location(uow, query.location_id)
            today = local_date(now, location.timezone)
            window_start, _ = local_day_bounds(
                today - timedelta(days=HISTORY_DAYS - 1), location.timezone
            )
            _, window_end = local_day_bounds(today, location.timezone)
            latest = uow.observations.latest(location.id)
            hourly = uow.forecasts.hourly(location.id)
            daily = uow.forecasts.daily(location.id)
            summaries = uow.observations.daily_summaries(
                location.id, location.timezone, window_start, window_end
            )
            rules = (
                []
                if query.viewer_id is None
                else self._rules_here(uow, query.viewer_id, location.id)
            )
        return LocationPageResult(
            location=LocationResult.from_domain(location),
            unit_system=units,
            units=units.labels,
            current=None if latest is None else ObservationResult.from_domain(latest, units),
            current_is_stale=latest is not None and now - latest.observed_at > STALE_AFTER,
            hourly=(
                ()
                if hourly is None
                else tuple(
                    HourlyPointResult.from_domain(point, units)
                    for point in hourly.from_hour(now, FORECAST_HOURS)
                )
            ),
            daily=(
                ()
                if daily is None
                else tuple(
                    DailyPointResult.from_domain(point, units)
                    for point in daily.from_day(today, FORECAST_DAYS)
                )
            ),
            history=tuple(DailySummaryResult.from_domain(s, units) for s in summaries),
            rules=tuple(AlertRuleResult.from_domain(rule) for rule in rules),
        )

    @staticmethod
    def _rules_here(uow: UnitOfWork, viewer_id: str, location_id: uuid.UUID) -> list[AlertRule]:
        """The viewer's rules for this location, oldest first. The repository pages a user's
        rules across every location; a person keeps a handful, so reading every page is a
        query or two."""
        found: list[AlertRule] = []
        number = 1
        while True:
            page = uow.alerts.rules_of_owner(viewer_id, PageRequest(number, MAX_PAGE_SIZE))
            found.extend(rule for rule in page.items if rule.location_id == location_id)
            if not page.has_next:
                return found
            number += 1
