"""List locations by name, optionally searched by name and filtered by country."""

from __future__ import annotations

import attrs

from application.pagination import DEFAULT_PAGE_SIZE, Page, PageRequest
from application.ports.unit_of_work import UnitOfWork
from application.results.locations import LocationResult


@attrs.frozen(kw_only=True)
class ListLocationsQuery:
    search: str | None = None
    country_code: str | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class ListLocations:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: ListLocationsQuery) -> Page[LocationResult]:
        page = PageRequest(query.page, query.page_size)
        text = (query.search or "").strip() or None
        country = (query.country_code or "").strip().upper() or None
        with self._uow as uow:
            found = uow.locations.search(text=text, country_code=country, page=page)
        return found.map(LocationResult.from_domain)
