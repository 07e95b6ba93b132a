"""What a refresh covers: `Batch`es of locations, and the `RefreshPlan` that lists them.

A batch carries its locations as they were when planned, so that fetching needs no second look
at the storage: a batch is read from the storage once more only when it is stored, in the store
step's unit of work, which keeps only the locations still stored as they were fetched. Between
processes (the Celery fan-out) a batch travels as JSON: `to_json` / `from_json`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

import attrs

from domain.errors import InvalidInput
from domain.locations import Coordinates, Location

JSON = dict[str, object]
T = TypeVar("T")


@attrs.frozen
class Batch:
    """Locations refreshed together: one provider call, one unit of work."""

    locations: tuple[Location, ...]

    @property
    def location_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(location.id for location in self.locations)

    def to_json(self) -> list[JSON]:
        return [_location_to_json(location) for location in self.locations]

    @classmethod
    def from_json(cls, data: Sequence[Mapping[str, object]]) -> Batch:
        """Raises `InvalidInput` for anything `to_json` does not write."""
        try:
            return cls(tuple(_location_from_json(item) for item in data))
        except InvalidInput:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidInput(
                "batch", "is not a batch of locations ({error!r}).", error=error
            ) from None


@attrs.frozen
class RefreshPlan:
    """The batches of a refresh, in order; empty when there is nothing to refresh."""

    batches: tuple[Batch, ...]


def _location_to_json(location: Location) -> JSON:
    return {
        "id": str(location.id),
        "name": location.name,
        "latitude": location.coordinates.latitude,
        "longitude": location.coordinates.longitude,
        "timezone": location.timezone,
        "country_code": location.country_code,
        "admin1": location.admin1,
        "elevation": location.elevation,
        "created_by": location.created_by,
        "created_at": location.created_at.isoformat(),
        "updated_at": location.updated_at.isoformat(),
    }


def _location_from_json(item: Mapping[str, object]) -> Location:
    return Location(
        id=uuid.UUID(_text(item["id"])),
        name=_text(item["name"]),
        coordinates=Coordinates(_number(item["latitude"]), _number(item["longitude"])),
        timezone=_text(item["timezone"]),
        country_code=_optional(_text, item["country_code"]),
        admin1=_optional(_text, item["admin1"]),
        elevation=_optional(_number, item["elevation"]),
        created_by=_optional(_text, item["created_by"]),
        created_at=datetime.fromisoformat(_text(item["created_at"])),
        updated_at=datetime.fromisoformat(_text(item["updated_at"])),
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)


def _optional(read: Callable[[object], T], value: object) -> T | None:
    return None if value is None else read(value)
