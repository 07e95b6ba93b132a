"""Register a location to track."""

from __future__ import annotations

import attrs

from application.events import LocationCreated
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.results.locations import LocationResult
from domain.errors import Conflict
from domain.locations import Coordinates, Location


@attrs.frozen(kw_only=True)
class RegisterLocationCommand:
    name: str
    latitude: float
    longitude: float
    timezone: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    elevation: float | None = None
    #: The account registering it (who may change it later); None from the command line.
    created_by: str | None = None


class RegisterLocation:
    """Stores a new location unless one already sits on the same rounded coordinates."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, command: RegisterLocationCommand) -> LocationResult:
        location = Location.register(
            name=command.name,
            coordinates=Coordinates(command.latitude, command.longitude),
            timezone=command.timezone,
            country_code=command.country_code,
            admin1=command.admin1,
            elevation=command.elevation,
            created_by=command.created_by,
            now=self._clock.now(),
        )
        with self._uow as uow:
            existing = uow.locations.get_by_coordinates(location.coordinates)
            if existing is not None:
                raise Conflict(
                    "Location {id} ({name}) is already at {latitude}, {longitude}.",
                    id=existing.id,
                    name=existing.name,
                    latitude=location.coordinates.latitude,
                    longitude=location.coordinates.longitude,
                )
            uow.locations.add(location)
            uow.record(LocationCreated(location.id))
            uow.commit()
        return LocationResult.from_domain(location)
