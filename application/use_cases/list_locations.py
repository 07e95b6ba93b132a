"""List locations by name, optionally searched by name and filtered by country; on request each
with its current weather (CONTRACT.md §4, `include=current`).

The query's type says which page comes back. With the current weather, the page costs one more
read whatever its size: the latest readings of all its locations at once
(`ObservationRepository.latest_many`, which production reads through the same cache entries as
the current-weather endpoint), never one read per location.
"""

from __future__ import annotations

from typing import overload

import attrs

from application.pagination import DEFAULT_PAGE_SIZE, Page, PageRequest
from application.ports.unit_of_work import UnitOfWork
from application.results.locations import LocationResult, LocationWithCurrentResult
from application.results.weather import CurrentWeatherResult, ObservationResult
from domain.locations import Location
from domain.units import UnitSystem


@attrs.frozen(kw_only=True)
class ListLocationsQuery:
    search: str | None = None
    country_code: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


@attrs.frozen(kw_only=True)
class ListLocationsWithCurrentQuery:
    """The page `listing` asks for, each location with its latest reading in `units`."""

    listing: ListLocationsQuery = attrs.field(factory=ListLocationsQuery)
    units: UnitSystem = UnitSystem.METRIC


class ListLocations:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    @overload
    def execute(self, query: ListLocationsQuery) -> Page[LocationResult]: ...

    @overload
    def execute(self, query: ListLocationsWithCurrentQuery) -> Page[LocationWithCurrentResult]: ...

    def execute(
        self, query: ListLocationsQuery | ListLocationsWithCurrentQuery
    ) -> Page[LocationResult] | Page[LocationWithCurrentResult]:
        listing = query.listing if isinstance(query, ListLocationsWithCurrentQuery) else query
        page = PageRequest(listing.page, listing.page_size)
        text = (listing.search or "").strip() or None
        country = (listing.country_code or "").strip().upper() or None
        with self._uow as uow:
            found = uow.locations.search(text=text, country_code=country, page=page)
            if not isinstance(query, ListLocationsWithCurrentQuery):
                return found.map(LocationResult.from_domain)
            latest = uow.observations.latest_many([location.id for location in found.items])
        units = query.units
        labels = units.labels  # one `units` object for the page: every item's is the same

        def with_current(location: Location) -> LocationWithCurrentResult:
            reading = latest.get(location.id)
            return LocationWithCurrentResult(
                location=LocationResult.from_domain(location),
                current=None
                if reading is None
                else CurrentWeatherResult(
                    reading=ObservationResult.from_domain(reading, units), units=labels
                ),
            )

        return found.map(with_current)
