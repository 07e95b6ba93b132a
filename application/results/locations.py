"""Results describing tracked locations and geocoded places."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

import attrs

from application.results import json_values
from application.results.weather import CurrentWeatherResult
from domain.errors import InvalidInput
from domain.locations import Location, Place

JSON = dict[str, object]


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

    def to_json(self) -> JSON:
        """Its JSON form (ids as strings, instants in ISO 8601 UTC with `Z`), as an event of the
        live stream carries it; `from_json` gives back an equal result."""
        return {
            "id": str(self.id),
            "name": self.name,
            "country_code": self.country_code,
            "admin1": self.admin1,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "elevation": self.elevation,
            "timezone": self.timezone,
            "created_at": json_values.instant(self.created_at),
            "updated_at": json_values.instant(self.updated_at),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> LocationResult:
        """The result whose `to_json` gave `data`; `InvalidInput` for anything else."""
        try:
            return cls(
                id=uuid.UUID(json_values.text(data["id"])),
                name=json_values.text(data["name"]),
                country_code=json_values.optional_text(data["country_code"]),
                admin1=json_values.optional_text(data["admin1"]),
                latitude=json_values.number(data["latitude"]),
                longitude=json_values.number(data["longitude"]),
                elevation=None
                if data["elevation"] is None
                else json_values.number(data["elevation"]),
                timezone=json_values.text(data["timezone"]),
                created_at=json_values.parse_instant(data["created_at"]),
                updated_at=json_values.parse_instant(data["updated_at"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                "location", "is not a location's JSON form ({error!r}).", error=error
            ) from None


@attrs.frozen(kw_only=True)
class LocationWithCurrentResult:
    """A location of the list with its current weather exactly as the current-weather read gives
    it (`GetCurrentWeather`), or `None` until a refresh has stored a reading."""

    location: LocationResult
    current: CurrentWeatherResult | None


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
