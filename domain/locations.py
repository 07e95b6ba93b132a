"""Places the product tracks: `Coordinates`, the `Location` entity, and a geocoded `Place`.

A location is identified by a UUID the domain creates, and by its coordinates rounded to four
decimals (about 11 m): two locations on the same rounded point would be the same place twice.

Its elevation, when known, is in metres within [-500, 9000] (CONTRACT.md §4): the lowest dry land
(the Dead Sea shore, about -430 m) and the highest summit (Everest, 8,849 m) with a margin, so
that a typing slip or a hostile `1e308` cannot be stored as a place's height.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime

import attrs

from domain.errors import Forbidden, InvalidInput
from domain.readings import optional_reading
from domain.timekeeping import require_timezone, require_utc, to_utc

COORDINATE_DECIMALS = 4
NAME_MAX_LENGTH = 200
DEFAULT_TIMEZONE = "UTC"
MIN_ELEVATION_METRES = -500.0
MAX_ELEVATION_METRES = 9000.0


def _degrees(field: str, value: float, limit: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, "must be a number.")
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise InvalidInput(field, "must be between {low:g} and {high:g}.", low=-limit, high=limit)
    return round(float(value), COORDINATE_DECIMALS) + 0.0  # + 0.0 folds -0.0 into 0.0


def _latitude(value: float) -> float:
    """Checks the given value (not the rounded one) so 90.00001 is refused, then rounds."""
    return _degrees("latitude", value, 90.0)


def _longitude(value: float) -> float:
    return _degrees("longitude", value, 180.0)


@attrs.frozen
class Coordinates:
    """A point on Earth in decimal degrees, stored with at most four decimals."""

    latitude: float = attrs.field(converter=_latitude)
    longitude: float = attrs.field(converter=_longitude)


def _name(value: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput("name", "must be text.")
    name = value.strip()
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        raise InvalidInput(
            "name", "must be 1 to {maximum} characters long.", maximum=NAME_MAX_LENGTH
        )
    return name


def _country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2, upper case; blank means unknown."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidInput("country_code", "must be text.")
    code = value.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise InvalidInput("country_code", "must be a two-letter ISO 3166-1 code.")
    return code


def _admin1(value: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidInput("admin1", "must be text.")
    admin1 = value.strip()
    if len(admin1) > NAME_MAX_LENGTH:
        raise InvalidInput(
            "admin1", "must be at most {maximum} characters long.", maximum=NAME_MAX_LENGTH
        )
    return admin1


def _timezone(value: str | None) -> str:
    return DEFAULT_TIMEZONE if value is None else value


def _created_by(value: str | None) -> str | None:
    """An account id as text, like an alert rule's `owner_id`; None when nobody is known."""
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidInput("created_by", "must identify a user account.")
    return value


def _require_coordinates(
    _instance: object, attribute: attrs.Attribute[Coordinates], value: Coordinates
) -> None:
    if not isinstance(value, Coordinates):
        raise InvalidInput(attribute.name, "must be coordinates.")


@attrs.define(kw_only=True)
class Location:
    """A tracked place. Assigning a field re-runs its checks, so an invalid location cannot exist
    even after an update."""

    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    name: str = attrs.field(converter=_name)
    coordinates: Coordinates = attrs.field(validator=_require_coordinates)
    timezone: str = attrs.field(
        default=DEFAULT_TIMEZONE, converter=_timezone, validator=require_timezone
    )
    country_code: str | None = attrs.field(default=None, converter=_country_code)
    admin1: str | None = attrs.field(default=None, converter=_admin1)
    elevation: float | None = optional_reading(
        minimum=MIN_ELEVATION_METRES, maximum=MAX_ELEVATION_METRES
    )
    created_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    updated_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    #: The account that registered it; None for the command line's and for older locations.
    created_by: str | None = attrs.field(default=None, converter=_created_by)

    @classmethod
    def register(
        cls,
        *,
        name: str,
        coordinates: Coordinates,
        now: datetime,
        timezone: str | None = None,
        country_code: str | None = None,
        admin1: str | None = None,
        elevation: float | None = None,
        created_by: str | None = None,
    ) -> Location:
        """A new location with a fresh identity, created and updated `now` by `created_by`."""
        return cls(
            name=name,
            coordinates=coordinates,
            timezone=timezone,
            country_code=country_code,
            admin1=admin1,
            elevation=elevation,
            created_at=now,
            updated_at=now,
            created_by=created_by,
        )

    def may_be_changed_by(self, user_id: str | None, *, is_staff: bool) -> bool:
        """Whether this account may update or delete the location: staff always, anyone else
        only if they registered it. Nobody is the creator of a location without one."""
        return is_staff or (self.created_by is not None and user_id == self.created_by)

    def check_may_be_changed_by(self, user_id: str | None, *, is_staff: bool) -> None:
        """`Forbidden` unless `may_be_changed_by`: for use cases, before they write anything."""
        if not self.may_be_changed_by(user_id, is_staff=is_staff):
            raise Forbidden(
                "Location {id} may be changed only by the user who registered it "
                "or by a staff user.",
                id=self.id,
            )


@attrs.frozen(kw_only=True)
class Place:
    """A geocoder's answer to "where is X": a candidate location, not yet tracked.

    The time zone and the elevation are kept as reported (they are only checked against the
    location's rules when the place becomes a `Location`), so one odd entry cannot spoil a whole
    search.
    """

    name: str = attrs.field(converter=_name)
    coordinates: Coordinates = attrs.field(validator=_require_coordinates)
    country_code: str | None = attrs.field(default=None, converter=_country_code)
    admin1: str | None = attrs.field(default=None, converter=_admin1)
    elevation: float | None = optional_reading()
    timezone: str | None = None
    population: int | None = None
