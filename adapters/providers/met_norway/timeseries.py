"""Reading a Locationforecast answer: its `timeseries` as time steps, units checked.

A step has the instant's details and up to three periods that start at it (`next_1_hours`,
`next_6_hours`, `next_12_hours`); beyond about 60 hours MET steps every 6 hours and gives no
1-hour period. Every time is UTC already (an offset is required); wind comes in m/s and is
converted to km/h by `domain.units` as it is read (`Step.speed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Final

import attrs

from adapters.providers.http import MalformedPayload
from adapters.providers.payloads import (
    as_list,
    as_object,
    iso_time,
    member,
    optional_number,
    text,
)
from domain.units import Speed

PERIODS: Final = ("next_1_hours", "next_6_hours", "next_12_hours")

# The unit each detail must carry in `properties.meta.units`.
EXPECTED_UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "air_temperature": "celsius",
        "air_temperature_max": "celsius",
        "air_temperature_min": "celsius",
        "dew_point_temperature": "celsius",
        "air_pressure_at_sea_level": "hPa",
        "relative_humidity": "%",
        "cloud_area_fraction": "%",
        "probability_of_precipitation": "%",
        "precipitation_amount": "mm",
        "wind_from_direction": "degrees",
        "wind_speed": "m/s",
        "wind_speed_of_gust": "m/s",
    }
)


@attrs.frozen(kw_only=True)
class Step:
    """One time step of the time series, its details read and converted."""

    time: datetime
    instant: Mapping[str, object]
    next_1_hours: Mapping[str, object] | None
    next_6_hours: Mapping[str, object] | None
    next_12_hours: Mapping[str, object] | None
    path: str

    def detail(self, name: str) -> float | None:
        return optional_number(self.instant.get(name), f"{self.path}.instant.details.{name}")

    def speed(self, name: str) -> float | None:
        value = self.detail(name)
        return None if value is None else Speed.from_metres_per_second(value).kilometres_per_hour

    def period_detail(self, period: str, name: str) -> float | None:
        block = self._period(period)
        if block is None:
            return None
        details = block.get("details")
        if details is None:
            return None
        path = f"{self.path}.{period}.details"
        return optional_number(as_object(details, path).get(name), f"{path}.{name}")

    def symbol(self, *periods: str) -> str | None:
        """The symbol of the first of `periods` that has one."""
        for period in periods:
            block = self._period(period)
            if block is None or "summary" not in block:
                continue
            summary = as_object(block["summary"], f"{self.path}.{period}.summary")
            if "symbol_code" in summary:
                return text(summary["symbol_code"], f"{self.path}.{period}.summary.symbol_code")
        return None

    def _period(self, period: str) -> Mapping[str, object] | None:
        return {
            "next_1_hours": self.next_1_hours,
            "next_6_hours": self.next_6_hours,
            "next_12_hours": self.next_12_hours,
        }[period]


def steps(payload: Mapping[str, object]) -> list[Step]:
    """The answer's time steps in time order. The whole answer is refused when a unit is not
    the one of `EXPECTED_UNITS` or a detail comes without its unit: a misread unit would make a
    wrong reading, where a refused answer lets the next provider answer instead."""
    properties = as_object(member(payload, "properties", "answer"), "answer.properties")
    meta = as_object(member(properties, "meta", "answer.properties"), "answer.properties.meta")
    units = as_object(member(meta, "units", "answer.properties.meta"), "meta.units")
    for name, expected in EXPECTED_UNITS.items():
        if name in units and units[name] != expected:
            raise MalformedPayload(
                f"meta.units.{name} is {units[name]!r}, but {expected!r} is what this client reads"
            )
    series = as_list(member(properties, "timeseries", "answer.properties"), "timeseries")
    result = []
    for index, entry in enumerate(series):
        path = f"timeseries[{index}]"
        raw = as_object(entry, path)
        moment = _utc_time(member(raw, "time", path), f"{path}.time")
        data = as_object(member(raw, "data", path), f"{path}.data")
        instant = as_object(member(data, "instant", f"{path}.data"), f"{path}.data.instant")
        details = as_object(instant.get("details", {}), f"{path}.data.instant.details")
        periods = {
            period: as_object(data[period], f"{path}.data.{period}") if period in data else None
            for period in PERIODS
        }
        result.append(
            Step(
                time=moment,
                instant=details,
                next_1_hours=periods["next_1_hours"],
                next_6_hours=periods["next_6_hours"],
                next_12_hours=periods["next_12_hours"],
                path=f"{path}.data",
            )
        )
    for step in result:
        for name in step.instant:
            if name in EXPECTED_UNITS and name not in units:
                raise MalformedPayload(f"meta.units does not name the unit of {name}")
    return sorted(result, key=lambda step: step.time)


def _utc_time(value: object, path: str) -> datetime:
    moment = iso_time(value, path)
    if moment.tzinfo is None:
        raise MalformedPayload(f"{path} has no UTC offset: {value!r}")
    return moment.astimezone(UTC)
