"""The time ranges queries may ask for, checked once for every use case that takes one.

Failures name the offending parameter (`start`, `end`), as the contract requires for 400s.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.errors import InvalidInput
from domain.timekeeping import to_utc

MAX_RANGE_DAYS = 366


def instant(field: str, value: datetime) -> datetime:
    """`value` in UTC; a naive datetime is refused because its meaning is a guess."""
    if value.utcoffset() is None:
        raise InvalidInput(field, "must include a time zone offset (e.g. 2026-11-24T14:00:00Z).")
    return to_utc(value)


def check_instant_range(start: datetime, end: datetime) -> None:
    """`[start, end)` must be non-empty and at most 366 days long."""
    if start >= end:
        raise InvalidInput("end", "must be after start.")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise InvalidInput(
            "start", "the range must not exceed {maximum} days.", maximum=MAX_RANGE_DAYS
        )


def check_date_range(start: date, end: date) -> None:
    """`start` to `end`, both included, must be at most 366 days."""
    if start > end:
        raise InvalidInput("end", "must not be before start.")
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            "start", "the range must not exceed {maximum} days.", maximum=MAX_RANGE_DAYS
        )
