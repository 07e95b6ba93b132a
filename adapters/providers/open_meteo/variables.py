"""What the Open-Meteo clients ask for: each series by its API name, the domain field it fills,
the unit it must come in and how one value is read; and the query parameters the requests share.

The request names every unit (°C, m/s, mm) and the time format, so the answer's `*_units` can be
checked against what was asked (`series`). Wind is converted to km/h by `domain.units`; `null` is
a missing value, never zero.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from adapters.providers.http import MalformedPayload
from adapters.providers.payloads import optional_integer, optional_number
from domain.units import Speed

Reading = float | int | bool | None
Reader = Callable[[object, str], Reading]


def measured(value: object, path: str) -> Reading:
    """A reading already in the unit the core stores; `null` stays missing."""
    return optional_number(value, path)


@functools.lru_cache(maxsize=4096)
def _kilometres_per_hour(metres_per_second: float) -> float:
    """Cached: a forecast repeats the same few wind speeds (0.1 m/s steps) thousands of times."""
    return Speed.from_metres_per_second(metres_per_second).kilometres_per_hour


def _metres_per_second(value: object, path: str) -> Reading:
    speed = optional_number(value, path)
    return None if speed is None else _kilometres_per_hour(speed)


def _flag(value: object, path: str) -> Reading:
    flag = optional_integer(value, path)
    if flag not in (None, 0, 1):
        raise MalformedPayload(f"{path} should be 0 or 1, not {value!r}")
    return None if flag is None else flag == 1


@attrs.frozen
class Variable:
    """One Open-Meteo series: its API name, the domain field it fills, the unit it must carry."""

    api_name: str
    field: str
    unit: str
    read: Reader = measured


# The unit strings are the API's own spelling (see the recorded fixture).
_TEMPERATURE, _PERCENT, _SPEED = "°C", "%", "m/s"

CURRENT_VARIABLES: Final = (
    Variable("temperature_2m", "temperature", _TEMPERATURE),
    Variable("apparent_temperature", "apparent_temperature", _TEMPERATURE),
    Variable("relative_humidity_2m", "relative_humidity", _PERCENT),
    Variable("dew_point_2m", "dew_point", _TEMPERATURE),
    Variable("pressure_msl", "pressure", "hPa"),
    Variable("wind_speed_10m", "wind_speed", _SPEED, _metres_per_second),
    Variable("wind_direction_10m", "wind_direction", "°"),
    Variable("wind_gusts_10m", "wind_gusts", _SPEED, _metres_per_second),
    Variable("precipitation", "precipitation", "mm"),
    Variable("cloud_cover", "cloud_cover", _PERCENT),
    Variable("weather_code", "weather_code", "wmo code", optional_integer),
    Variable("is_day", "is_day", "", _flag),
)
HOURLY_VARIABLES: Final = (
    Variable("temperature_2m", "temperature", _TEMPERATURE),
    Variable("apparent_temperature", "apparent_temperature", _TEMPERATURE),
    Variable("relative_humidity_2m", "relative_humidity", _PERCENT),
    Variable("precipitation_probability", "precipitation_probability", _PERCENT),
    Variable("precipitation", "precipitation", "mm"),
    Variable("wind_speed_10m", "wind_speed", _SPEED, _metres_per_second),
    Variable("wind_direction_10m", "wind_direction", "°"),
    Variable("weather_code", "weather_code", "wmo code", optional_integer),
)
DAILY_VARIABLES: Final = (
    Variable("weather_code", "weather_code", "wmo code", optional_integer),
    Variable("temperature_2m_max", "temperature_max", _TEMPERATURE),
    Variable("temperature_2m_min", "temperature_min", _TEMPERATURE),
    Variable("precipitation_sum", "precipitation_sum", "mm"),
    Variable("precipitation_probability_max", "precipitation_probability_max", _PERCENT),
    Variable("wind_speed_10m_max", "wind_speed_max", _SPEED, _metres_per_second),
)
DAILY_INSTANTS: Final = ("sunrise", "sunset")
ARCHIVE_VARIABLES: Final = tuple(v for v in CURRENT_VARIABLES if v.api_name != "is_day")

# Asked for explicitly, so the `*_units` check compares against what these clients requested.
UNIT_PARAMS: Final = {
    "temperature_unit": "celsius",
    "wind_speed_unit": "ms",
    "precipitation_unit": "mm",
    "timeformat": "unixtime",
}


def names(variables: Sequence[Variable], *extra: str) -> str:
    """The comma-separated list a request's `current`, `hourly` or `daily` parameter takes."""
    return ",".join([variable.api_name for variable in variables] + list(extra))


def with_key(params: dict[str, str], api_key: str) -> dict[str, str]:
    """`params` with the customer API key, when one is configured (the free API takes none)."""
    if api_key:
        params["apikey"] = api_key
    return params
