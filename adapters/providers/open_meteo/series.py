"""Reading an Open-Meteo answer: its time zone, its instants and dates, and its blocks of
parallel arrays (`current`, `hourly`, `daily`) with their units checked against the request.

Shared by the forecast and the archive clients, which read the same shapes. Time: every request
asks for `timeformat=unixtime`, so each instant arrives as UTC seconds and needs no guessing. ISO
strings (the API's default, and the recorded fixtures) are still read, as wall-clock times of the
answer's `timezone` resolved through zoneinfo — never as UTC, and never with the single
`utc_offset_seconds`, which is wrong on the other side of a DST change. Daily dates are calendar
dates of the location's own time zone, which the request names.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Final, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from adapters.providers.http import MalformedPayload
from adapters.providers.open_meteo.variables import Reading, Variable, converted
from adapters.providers.payloads import as_list, as_object, iso_time, member, number, text

logger = logging.getLogger(__name__)


_TIME_UNITS: Final = frozenset({"iso8601", "unixtime"})


# --- time -----------------------------------------------------------------------------------------


def answer_zone(payload: Mapping[str, object], path: str) -> tzinfo:
    """The zone the answer's wall-clock strings and daily dates are in."""
    name = payload.get("timezone")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("Open-Meteo answered the unknown time zone %r", name)
    offset = payload.get("utc_offset_seconds", 0)
    return timezone(timedelta(seconds=number(offset, f"{path}.utc_offset_seconds")))


def read_instant(value: object, zone: tzinfo, path: str) -> datetime:
    """A UTC instant from unix seconds, or from a wall-clock string of `zone`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    moment = iso_time(value, path)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _optional_instant(value: object, zone: tzinfo, path: str) -> datetime | None:
    return None if value is None else read_instant(value, zone, path)


def read_local_date(value: object, zone: tzinfo, path: str) -> date:
    """A daily `time`: unix seconds of local midnight, or a `YYYY-MM-DD` string."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, zone).date()
    raw = text(value, path)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise MalformedPayload(f"{path} should be a date, not {raw!r}") from None


# --- blocks ---------------------------------------------------------------------------------------


def block_units(payload: Mapping[str, object], block: str, path: str) -> Mapping[str, object]:
    return as_object(member(payload, f"{block}_units", path), f"{path}.{block}_units")


def _check_unit(units: Mapping[str, object], name: str, expected: str, path: str) -> None:
    """Refuse a series whose unit is not the one asked for (e.g. km/h when m/s was asked)."""
    unit = units.get(name)
    if unit != expected:
        shown = "no unit" if unit is None else repr(unit)
        raise MalformedPayload(f"{path}.{name} came in {shown}, but {expected!r} was asked for")


def check_time_unit(units: Mapping[str, object], path: str, name: str = "time") -> None:
    if units.get(name) not in _TIME_UNITS:
        raise MalformedPayload(f"{path}.{name} has the unknown time format {units.get(name)!r}")


def step_readings(
    data: Mapping[str, object],
    units: Mapping[str, object],
    variables: Sequence[Variable],
    path: str,
) -> dict[str, Reading]:
    """The readings of one time step; a variable the answer left out is a missing value."""
    readings: dict[str, Reading] = {}
    for variable in variables:
        if variable.api_name not in data:
            continue
        _check_unit(units, variable.api_name, variable.unit, path)
        value = data[variable.api_name]
        readings[variable.field] = variable.read(value, f"{path}.{variable.api_name}")
    return readings


@attrs.frozen
class Series:
    """A block of parallel arrays (`hourly` or `daily`): its `time` array and the named columns."""

    times: Sequence[object]
    columns: Mapping[str, Sequence[object]]
    units: Mapping[str, object]
    path: str

    def readings(self, variables: Sequence[Variable]) -> dict[str, list[Reading]]:
        """Each present variable's column, converted; its domain field name as the key."""
        return {
            variable.field: variable.column(column, f"{self.path}.{variable.api_name}")
            for variable in variables
            if (column := self.columns.get(variable.api_name)) is not None
        }

    def instants(self, zone: tzinfo, known: dict[int, datetime] | None = None) -> list[datetime]:
        """The `time` column as UTC instants. Unix seconds (as asked) are read once each in
        `known`, which the caller may share between the locations of one answer: their hours
        are mostly the same instants, so a batch holds one `datetime` per distinct hour."""
        if set(map(type, self.times)) <= {int}:
            seconds = cast(Sequence[int], self.times)
            seen = {} if known is None else known
            for value in set(seconds) - seen.keys():
                seen[value] = datetime.fromtimestamp(value, UTC)
            return list(map(seen.__getitem__, seconds))

        def read(value: object, path: str) -> datetime:
            if type(value) is int:
                return datetime.fromtimestamp(value, UTC)
            return read_instant(value, zone, path)

        return converted(read, self.times, f"{self.path}.time")

    def rows(self, variables: Sequence[Variable]) -> list[dict[str, Reading]]:
        """The readings of each time step, as keyword arguments for a domain point."""
        columns = self.readings(variables)
        if not columns:
            return [{} for _ in self.times]
        fields = list(columns)
        return [
            dict(zip(fields, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]

    def instant(self, index: int, name: str, zone: tzinfo) -> datetime | None:
        """A column of instants (sunrise, sunset); missing when the answer has no such column."""
        column = self.columns.get(name)
        if column is None:
            return None
        return _optional_instant(column[index], zone, f"{self.path}.{name}[{index}]")


def _series(
    payload: Mapping[str, object], block: str, variables: Sequence[str], path: str
) -> Series | None:
    """The block, its units checked by the caller's variables; `None` when the answer has none."""
    if block not in payload:
        return None
    block_path = f"{path}.{block}"
    data = as_object(payload[block], block_path)
    units = block_units(payload, block, path)
    check_time_unit(units, f"{path}.{block}_units")
    times = as_list(member(data, "time", block_path), f"{block_path}.time")
    columns: dict[str, Sequence[object]] = {}
    for name in variables:
        if name not in data:
            continue
        column = as_list(data[name], f"{block_path}.{name}")
        if len(column) != len(times):
            raise MalformedPayload(
                f"{block_path}.{name} has {len(column)} values for {len(times)} times"
            )
        columns[name] = column
    return Series(times=times, columns=columns, units=units, path=block_path)


def checked_series(
    payload: Mapping[str, object],
    block: str,
    variables: Sequence[Variable],
    path: str,
    instants: Sequence[str] = (),
) -> Series | None:
    """The block with each present variable's unit (and each column of instants' time format)
    checked against the request."""
    series = _series(payload, block, [v.api_name for v in variables] + list(instants), path)
    if series is None:
        return None
    for variable in variables:
        if variable.api_name in series.columns:
            _check_unit(series.units, variable.api_name, variable.unit, f"{path}.{block}")
    for name in instants:
        if name in series.columns:
            check_time_unit(series.units, f"{path}.{block}_units", name)
    return series
