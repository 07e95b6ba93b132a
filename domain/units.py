"""Units of measure: the core stores metric, and this is the one place that speaks imperial.

The value objects (`Temperature`, `Speed`, `Precipitation`, `Pressure`) hold a metric magnitude and
convert with exact factors (1 mile = 1.609344 km, 1 inch = 25.4 mm, 1 inHg = 33.8638864 hPa).
`express` turns one stored metric reading into the unit system a client asked for, and
`UnitSystem.labels` names those units the way the API contract spells them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from domain.errors import InvalidInput

KILOMETRES_PER_MILE = 1.609344
MILLIMETRES_PER_INCH = 25.4
# Conventional inch of mercury: 13.5951 g/cm3 * 9.80665 m/s2 * 25.4 mm = 3386.388640341 Pa.
HECTOPASCALS_PER_INCH_OF_MERCURY = 33.86388640341
SECONDS_PER_HOUR = 3600.0


class UnitSystem(enum.StrEnum):
    """The systems a client may ask for with `?units=`."""

    METRIC = "metric"
    IMPERIAL = "imperial"

    @classmethod
    def parse(cls, value: str) -> UnitSystem:
        """The system called `value`, or `InvalidInput` naming the `units` parameter."""
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(member.value for member in cls)
            raise InvalidInput(
                "units", "must be one of {choices}, not {value!r}.", choices=choices, value=value
            ) from None

    @property
    def labels(self) -> dict[str, str]:
        """The contract's `units` object: the unit of each converted field family."""
        return dict(_LABELS[self])


_LABELS = MappingProxyType(
    {
        UnitSystem.METRIC: MappingProxyType(
            {"temperature": "°C", "wind_speed": "km/h", "precipitation": "mm", "pressure": "hPa"}
        ),
        UnitSystem.IMPERIAL: MappingProxyType(
            {"temperature": "°F", "wind_speed": "mph", "precipitation": "inch", "pressure": "inHg"}
        ),
    }
)


@attrs.frozen
class Temperature:
    """A temperature, held in degrees Celsius."""

    celsius: float

    @classmethod
    def from_fahrenheit(cls, fahrenheit: float) -> Temperature:
        return cls((fahrenheit - 32.0) * 5.0 / 9.0)

    def to_fahrenheit(self) -> float:
        return self.celsius * 9.0 / 5.0 + 32.0


@attrs.frozen
class Speed:
    """A speed (wind), held in kilometres per hour."""

    kilometres_per_hour: float

    @classmethod
    def from_miles_per_hour(cls, miles_per_hour: float) -> Speed:
        return cls(miles_per_hour * KILOMETRES_PER_MILE)

    @classmethod
    def from_metres_per_second(cls, metres_per_second: float) -> Speed:
        return cls(metres_per_second * SECONDS_PER_HOUR / 1000.0)

    def to_miles_per_hour(self) -> float:
        return self.kilometres_per_hour / KILOMETRES_PER_MILE

    def to_metres_per_second(self) -> float:
        return self.kilometres_per_hour * 1000.0 / SECONDS_PER_HOUR


@attrs.frozen
class Precipitation:
    """An amount of precipitation, held in millimetres."""

    millimetres: float

    @classmethod
    def from_inches(cls, inches: float) -> Precipitation:
        return cls(inches * MILLIMETRES_PER_INCH)

    def to_inches(self) -> float:
        return self.millimetres / MILLIMETRES_PER_INCH


@attrs.frozen
class Pressure:
    """An air pressure, held in hectopascals."""

    hectopascals: float

    @classmethod
    def from_inches_of_mercury(cls, inches_of_mercury: float) -> Pressure:
        return cls(inches_of_mercury * HECTOPASCALS_PER_INCH_OF_MERCURY)

    def to_inches_of_mercury(self) -> float:
        return self.hectopascals / HECTOPASCALS_PER_INCH_OF_MERCURY


class Quantity(enum.Enum):
    """What a reading measures, which decides how it converts. Humidity, cloud cover and wind
    direction are not here: they are the same in every system."""

    TEMPERATURE = "temperature"
    SPEED = "wind_speed"
    PRECIPITATION = "precipitation"
    PRESSURE = "pressure"


# Decimals worth showing: finer than any provider measures, coarse enough to hide float noise.
_DECIMALS = MappingProxyType(
    {
        (Quantity.TEMPERATURE, UnitSystem.METRIC): 2,
        (Quantity.TEMPERATURE, UnitSystem.IMPERIAL): 2,
        (Quantity.SPEED, UnitSystem.METRIC): 2,
        (Quantity.SPEED, UnitSystem.IMPERIAL): 2,
        (Quantity.PRECIPITATION, UnitSystem.METRIC): 2,
        (Quantity.PRECIPITATION, UnitSystem.IMPERIAL): 3,
        (Quantity.PRESSURE, UnitSystem.METRIC): 1,
        (Quantity.PRESSURE, UnitSystem.IMPERIAL): 3,
    }
)


def express(quantity: Quantity, metric_value: float | None, system: UnitSystem) -> float | None:
    """A stored metric reading as a client of `system` should see it (converted, then rounded).

    This is the only function that turns metric into imperial, so every response agrees.
    """
    if metric_value is None:
        return None
    value = metric_value
    if system is UnitSystem.IMPERIAL:
        value = _TO_IMPERIAL[quantity](metric_value)
    return round(value, _DECIMALS[quantity, system])


def _fahrenheit(celsius: float) -> float:
    return Temperature(celsius).to_fahrenheit()


def _miles_per_hour(kilometres_per_hour: float) -> float:
    return Speed(kilometres_per_hour).to_miles_per_hour()


def _inches(millimetres: float) -> float:
    return Precipitation(millimetres).to_inches()


def _inches_of_mercury(hectopascals: float) -> float:
    return Pressure(hectopascals).to_inches_of_mercury()


_TO_IMPERIAL: Mapping[Quantity, Callable[[float], float]] = MappingProxyType(
    {
        Quantity.TEMPERATURE: _fahrenheit,
        Quantity.SPEED: _miles_per_hour,
        Quantity.PRECIPITATION: _inches,
        Quantity.PRESSURE: _inches_of_mercury,
    }
)
