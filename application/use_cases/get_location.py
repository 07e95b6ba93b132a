"""Read one location."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_location
from application.ports.unit_of_work import UnitOfWork
from application.results.locations import LocationResult


@attrs.frozen
class GetLocationQuery:
    location_id: uuid.UUID


class GetLocation:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: GetLocationQuery) -> LocationResult:
        with self._uow as uow:
            return LocationResult.from_domain(require_location(uow, query.location_id))
