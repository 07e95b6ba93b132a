"""UTC instants and IANA time zones: the only ways time enters the domain.

Inside the core every instant is an aware `datetime` in UTC. Local time exists only where a rule is
about a local calendar (daily summaries, "today" of a forecast), and is reached through `zoneinfo`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from domain.errors import InvalidInput


def to_utc(value: datetime) -> datetime:
    """attrs converter: aware datetimes move to UTC; naive ones pass through so a validator can
    refuse them with the field's name."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(UTC)
    return value


def to_optional_utc(value: datetime | None) -> datetime | None:
    """`to_utc` for optional fields."""
    return None if value is None else to_utc(value)


def _check_instant(field: str, value: object) -> None:
    if not isinstance(value, datetime):
        raise InvalidInput(field, "must be a datetime.")
    if value.utcoffset() is None:
        raise InvalidInput(field, "must be timezone-aware (UTC).")


def require_utc(_instance: object, attribute: attrs.Attribute[datetime], value: datetime) -> None:
    """attrs validator: an instant must be an aware datetime (already moved to UTC)."""
    _check_instant(attribute.name, value)


def require_optional_utc(
    _instance: object, attribute: attrs.Attribute[datetime | None], value: datetime | None
) -> None:
    """`require_utc` for optional fields."""
    if value is not None:
        _check_instant(attribute.name, value)


def zone(name: str) -> ZoneInfo:
    """The zone named `name`, or `InvalidInput` on `timezone` when the IANA database lacks it."""
    if not isinstance(name, str) or not name or name != name.strip():
        raise InvalidInput("timezone", "{name!r} is not an IANA time zone name.", name=name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInput(
            "timezone", "{name!r} is not an IANA time zone name.", name=name
        ) from error


def require_timezone(_instance: object, _attribute: attrs.Attribute[str], value: str) -> None:
    """attrs validator for fields that hold an IANA zone name."""
    zone(value)
