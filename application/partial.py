"""`UNSET`: the marker for "leave this field as it is" in partial updates (HTTP PATCH).

`None` cannot play that part, because clearing a field (`admin1=None`) is a legitimate change.
"""

from __future__ import annotations

import enum
from typing import Literal, TypeVar

T = TypeVar("T")


class Unset(enum.Enum):
    """The type of `UNSET`; an enum so that `is UNSET` narrows types for mypy."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Literal[Unset.UNSET] = Unset.UNSET


def updated(value: T | Unset, current: T) -> T:
    """`value` when the caller gave one, else `current`."""
    return current if value is UNSET else value
