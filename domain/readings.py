"""Field definitions for the optional numeric readings of observations and forecasts.

Every metric a provider reports may be missing, so each is `float | None`; when present it must be
a finite number inside the physically possible range, in the metric unit the core stores
(°C, km/h, mm, hPa, %, degrees).
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from domain.errors import InvalidInput

ABSOLUTE_ZERO_CELSIUS = -273.15


def to_optional_float(value: float | None) -> float | None:
    """attrs converter: ints become floats so equal readings compare and hash equal."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def optional_reading(*, minimum: float | None = None, maximum: float | None = None) -> Any:
    """An optional float field, refused at construction when outside `[minimum, maximum]`."""

    def check(_instance: object, attribute: Any, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, float):
            raise InvalidInput(attribute.name, "must be a number.")
        if not math.isfinite(value):
            raise InvalidInput(attribute.name, "must be a finite number.")
        if minimum is not None and value < minimum:
            raise InvalidInput(attribute.name, "must be at least {minimum}.", minimum=minimum)
        if maximum is not None and value > maximum:
            raise InvalidInput(attribute.name, "must be at most {maximum}.", maximum=maximum)

    return attrs.field(default=None, converter=to_optional_float, validator=check)


def optional_weather_code() -> Any:
    """An optional WMO weather code: an integer 0 to 99."""

    def check(_instance: object, attribute: Any, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99:
            raise InvalidInput(attribute.name, "must be a WMO weather code (0 to 99).")

    return attrs.field(default=None, validator=check)


def celsius_reading() -> Any:
    """An optional temperature in °C, never below absolute zero."""
    return optional_reading(minimum=ABSOLUTE_ZERO_CELSIUS)


def percent_reading() -> Any:
    """An optional share in % (humidity, cloud cover, probability)."""
    return optional_reading(minimum=0.0, maximum=100.0)


def amount_reading() -> Any:
    """An optional amount that cannot be negative (speed in km/h, precipitation in mm)."""
    return optional_reading(minimum=0.0)


def degrees_reading() -> Any:
    """An optional compass direction in degrees."""
    return optional_reading(minimum=0.0, maximum=360.0)
