"""Typed reading of untrusted JSON: each accessor returns the expected type or raises
`MalformedPayload` naming the path of the offending value (`hourly.time[3]`).

Provider parsers use these instead of indexing dicts directly, so a changed or broken answer is
reported as "the provider answered nonsense at X", never as a `KeyError` from deep inside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from adapters.providers.http import MalformedPayload


def as_object(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise MalformedPayload(f"{path} should be an object, not {_kind(value)}")
    return value


def as_list(value: object, path: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise MalformedPayload(f"{path} should be an array, not {_kind(value)}")
    return value


def member(obj: Mapping[str, object], key: str, path: str) -> object:
    """A required member (which may still be `null`)."""
    if key not in obj:
        raise MalformedPayload(f"{path}.{key} is missing")
    return obj[key]


def text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise MalformedPayload(f"{path} should be text, not {_kind(value)}")
    return value


def iso_time(value: object, path: str) -> datetime:
    """An ISO 8601 time as written: naive when the text has no offset, since what that means
    (a UTC instant, a wall-clock time of some zone, or nonsense) is the provider's to say."""
    raw = text(value, path)
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise MalformedPayload(f"{path} should be a time, not {raw!r}") from None


def optional_text(value: object, path: str) -> str | None:
    return None if value is None else text(value, path)


def number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedPayload(f"{path} should be a number, not {_kind(value)}")
    return float(value)


def optional_number(value: object, path: str) -> float | None:
    """`null` is a missing value, never zero."""
    return None if value is None else number(value, path)


def optional_integer(value: object, path: str) -> int | None:
    """Integers, also when a provider writes them as `3.0`."""
    if value is None:
        return None
    result = number(value, path)
    if not result.is_integer():
        raise MalformedPayload(f"{path} should be a whole number, not {value!r}")
    return int(result)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "text", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )
