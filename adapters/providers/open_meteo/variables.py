"""What the Open-Meteo clients ask for: each series by its API name, the domain field it fills,
the unit it must come in and how one value is read; and the query parameters the requests share.

The request names every unit (°C, m/s, mm) and the time format, so the answer's `*_units` can be
checked against what was asked (`series`). Wind is converted to km/h by `domain.units`; `null` is
a missing value, never zero.

A variable reads one value (`read`, for the `current` block) or a whole column (`column`, for
`hourly` and `daily`): a column whose values are all of the JSON types the variable takes as
they are is checked by one pass over their types; any other is read value by value, so a bad
value is reported with its index.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Final, TypeVar

import attrs

from adapters.providers.http import MalformedPayload
from adapters.providers.payloads import optional_integer, optional_number
from domain.units import Speed

Reading = float | int | bool | None
Reader = Callable[[object, str], Reading]
ColumnReader = Callable[[Sequence[object], str], list[Reading]]

T = TypeVar("T")
_NONE = type(None)


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


def converted(read: Callable[[object, str], T], values: Sequence[object], path: str) -> list[T]:
    """`read` applied to a whole column. Paths are only spelt out to report a bad value: building
    one per value costs more than reading a forecast of 384 hours for 100 locations."""
    try:
        return [read(value, "") for value in values]
    except MalformedPayload:
        for index, value in enumerate(values):
            read(value, f"{path}[{index}]")
        raise


def _taken_as_they_are(kinds: frozenset[type], read: Reader) -> ColumnReader:
    """A column reader: the column itself when each value's type is one of `kinds` (one pass in
    C), else `read` value by value (which converts, or names the bad value)."""

    def column(values: Sequence[object], path: str) -> list[Reading]:
        if set(map(type, values)) <= kinds:
            return list(values)  # type: ignore[arg-type]
        return converted(read, values, path)

    return column


_measured_column = _taken_as_they_are(frozenset({float, _NONE}), measured)
_integer_column = _taken_as_they_are(frozenset({int, _NONE}), optional_integer)


def _metres_per_second_column(values: Sequence[object], path: str) -> list[Reading]:
    speeds = _measured_column(values, path)
    return [None if speed is None else _kilometres_per_hour(speed) for speed in speeds]


def _column_of(variable: Variable) -> ColumnReader:
    known: dict[Reader, ColumnReader] = {
        measured: _measured_column,
        optional_integer: _integer_column,
        _metres_per_second: _metres_per_second_column,
    }
    read = variable.read
    return known.get(read) or (lambda values, path: converted(read, values, path))


@attrs.frozen
class Variable:
    """One Open-Meteo series: its API name, the domain field it fills, the unit it must carry."""

    api_name: str
    field: str
    unit: str
    read: Reader = measured
    column: ColumnReader = attrs.field(
        default=attrs.Factory(_column_of, takes_self=True), eq=False, repr=False
    )


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


REFERENCE_VARIABLES: Final = 10
REFERENCE_DAYS: Final = 14


def calls_per_location(variables: int, days: int) -> float:
    """How many calls Open-Meteo counts for each location of one request: one for up to 10
    variables over up to 14 days, more in proportion beyond (its server's
    ``calculateQueryWeight``: ``max(1, variables / 10 * max(1, days / 14))`` per location)."""
    share = variables / REFERENCE_VARIABLES
    return max(1.0, share, share * days / REFERENCE_DAYS)


def names(variables: Sequence[Variable], *extra: str) -> str:
    """The comma-separated list a request's `current`, `hourly` or `daily` parameter takes."""
    return ",".join([variable.api_name for variable in variables] + list(extra))


def with_key(params: dict[str, str], api_key: str) -> dict[str, str]:
    """`params` with the customer API key, when one is configured (the free API takes none)."""
    if api_key:
        params["apikey"] = api_key
    return params
