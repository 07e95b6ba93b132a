"""How the provider clients spell the core's values in a query string.

What lives here: the spelling every API shares, so two clients cannot round one value two ways.
What does not: a provider's own parameter names and units (those stay with its client), and
anything about reading answers (`payloads`) or making the call (`http`).
"""

from __future__ import annotations

from domain.locations import COORDINATE_DECIMALS


def coordinate(value: float) -> str:
    """The domain's four decimals at most (MET Norway's terms allow no more), without trailing
    zeros, so one point reads the same in every request and every log line."""
    return f"{value:.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")
