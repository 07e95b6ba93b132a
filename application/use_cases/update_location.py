"""Change some (PATCH) or all (PUT) writable fields of a location (its creator, or staff)."""

from __future__ import annotations

import uuid

import attrs

from application.events import LocationUpdated
from application.lookups import require_changeable_location
from application.partial import UNSET, Unset, updated
from application.ports.clock import Clock
from application.ports.unit_of_work import UnitOfWork
from application.requesters import Requester
from application.results.locations import LocationResult
from domain.errors import Conflict
from domain.locations import Coordinates


@attrs.frozen(kw_only=True)
class UpdateLocationCommand:
    """Fields left `UNSET` keep their value; `None` clears an optional field (timezone → UTC).
    `requester` is who asks: the location's creator or a staff user, or `Forbidden`."""

    location_id: uuid.UUID
    requester: Requester = attrs.field(validator=attrs.validators.instance_of(Requester))
    name: str | Unset = UNSET
    latitude: float | Unset = UNSET
    longitude: float | Unset = UNSET
    timezone: str | Unset | None = UNSET
    country_code: str | Unset | None = UNSET
    admin1: str | Unset | None = UNSET
    elevation: float | Unset | None = UNSET


class UpdateLocation:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def execute(self, command: UpdateLocationCommand) -> LocationResult:
        with self._uow as uow:
            location = require_changeable_location(uow, command.location_id, command.requester)
            coordinates = Coordinates(
                updated(command.latitude, location.coordinates.latitude),
                updated(command.longitude, location.coordinates.longitude),
            )
            if coordinates != location.coordinates:
                occupant = uow.locations.get_by_coordinates(coordinates)
                if occupant is not None and occupant.id != location.id:
                    raise Conflict(
                        "Location {id} ({name}) is already at {latitude}, {longitude}.",
                        id=occupant.id,
                        name=occupant.name,
                        latitude=coordinates.latitude,
                        longitude=coordinates.longitude,
                    )
            revised = attrs.evolve(
                location,
                name=updated(command.name, location.name),
                coordinates=coordinates,
                timezone=updated(command.timezone, location.timezone),
                country_code=updated(command.country_code, location.country_code),
                admin1=updated(command.admin1, location.admin1),
                elevation=updated(command.elevation, location.elevation),
                updated_at=self._clock.now(),
            )
            uow.locations.update(revised)
            uow.record(LocationUpdated(revised.id))
            uow.commit()
        return LocationResult.from_domain(revised)
