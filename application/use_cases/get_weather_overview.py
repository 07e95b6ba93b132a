"""A page of tracked locations, each with its latest reading: what the dashboard shows.

Two reads whatever the page size: the page of locations, then the latest reading of all of them
at once (`ObservationRepository.latest_many`), never one query per location.
"""

from __future__ import annotations

import attrs

from application.pagination import Page, PageRequest
from application.ports.unit_of_work import UnitOfWork
from application.results.locations import LocationResult
from application.results.weather import ObservationResult
from domain.units import UnitSystem


@attrs.frozen(kw_only=True)
class GetWeatherOverviewQuery:
    search: str | None = None
    page: PageRequest = attrs.field(factory=PageRequest)
    units: UnitSystem = UnitSystem.METRIC


@attrs.frozen(kw_only=True)
class LocationWeatherResult:
    """One tracked location and its latest reading (`None` until a refresh has stored one)."""

    location: LocationResult
    reading: ObservationResult | None


@attrs.frozen(kw_only=True)
class WeatherOverviewResult:
    """Readings already expressed in `unit_system`; `units` names the unit of each quantity."""

    locations: Page[LocationWeatherResult]
    unit_system: UnitSystem
    units: dict[str, str]


class GetWeatherOverview:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: GetWeatherOverviewQuery) -> WeatherOverviewResult:
        text = (query.search or "").strip() or None
        with self._uow as uow:
            found = uow.locations.search(text=text, country_code=None, page=query.page)
            latest = uow.observations.latest_many([location.id for location in found.items])
        page = found.map(
            lambda location: LocationWeatherResult(
                location=LocationResult.from_domain(location),
                reading=(
                    ObservationResult.from_domain(latest[location.id], query.units)
                    if location.id in latest
                    else None
                ),
            )
        )
        return WeatherOverviewResult(
            locations=page, unit_system=query.units, units=query.units.labels
        )
