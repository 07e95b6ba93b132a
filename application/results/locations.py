"""Results describing tracked locations and geocoded places."""

from __future__ import annotations

import uuid
from datetime import datetime

import attrs

from domain.locations import Location, Place


@attrs.frozen(kw_only=True)
class LocationResult:
    id: uuid.UUID
    name: str
    country_code: str | None
    admin1: str | None
    latitude: float
    longitude: float
    elevation: float | None
    timezone: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, location: Location) -> LocationResult:
        return cls(
            id=location.id,
            name=location.name,
            country_code=location.country_code,
            admin1=location.admin1,
            latitude=location.coordinates.latitude,
            longitude=location.coordinates.longitude,
            elevation=location.elevation,
            timezone=location.timezone,
            created_at=location.created_at,
            updated_at=location.updated_at,
        )


@attrs.frozen(kw_only=True)
class PlaceResult:
    name: str
    country_code: str | None
    admin1: str | None
    latitude: float
    longitude: float
    elevation: float | None
    timezone: str | None
    population: int | None

    @classmethod
    def from_domain(cls, place: Place) -> PlaceResult:
        return cls(
            name=place.name,
            country_code=place.country_code,
            admin1=place.admin1,
            latitude=place.coordinates.latitude,
            longitude=place.coordinates.longitude,
            elevation=place.elevation,
            timezone=place.timezone,
            population=place.population,
        )
