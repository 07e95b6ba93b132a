"""The JSON form of a result's values, both ways: instants as ISO 8601 in UTC with a `Z`, and
the checks that reading a JSON form back makes (`from_json`: the event log's data, the cache).

A value of the wrong kind raises `TypeError` or `ValueError`, which each `from_json` turns into
the `InvalidInput` that names its resource; a boolean is not a number, as in the API.
"""

from __future__ import annotations

from datetime import UTC, datetime


def instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_instant(value: object) -> datetime:
    parsed = datetime.fromisoformat(text(value))
    if parsed.utcoffset() is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def optional_text(value: object) -> str | None:
    return None if value is None else text(value)


def number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{value!r} is not a number")
    return float(value)
