"""The `RateBudget` port: how many calls a weather provider still takes from this deployment.

Providers limit their callers (Open-Meteo's free tier: 600 calls a minute, 5,000 an hour, 10,000
a day, per address, each location of a call counted). The refresh pipeline asks the budget
before each provider call; a budget that is spent answers `Deferred`, and the refresh waits
(a task is retried later, the synchronous driver sleeps) instead of calling and being refused
with 429. What a call costs (locations, variables, days) is the adapter's to weigh: the core
only says which provider, for how many locations.
"""

from __future__ import annotations

from typing import Protocol

import attrs


@attrs.frozen
class Granted:
    """The call may go ahead; it has been counted."""


@attrs.frozen(kw_only=True)
class Deferred:
    """The call would overspend `limit` (e.g. ``"per minute"``); nothing was counted. Asking
    again after `retry_after_seconds` may be granted."""

    provider: str
    limit: str
    retry_after_seconds: float


Reservation = Granted | Deferred


@attrs.frozen(kw_only=True)
class ProviderLimits:
    """One provider's limits, as every implementation counts them; 0 means none.

    `calls_per_location` is what the provider counts for each location of one call (Open-Meteo
    weighs variables and days: `OpenMeteoProvider.calls_per_location`)."""

    per_minute: int = 0
    per_hour: int = 0
    per_day: int = 0
    calls_per_location: float = 1.0

    def windows(self) -> list[tuple[str, int, int]]:
        """(label, seconds, limit) of each limit set."""
        every = [
            ("per minute", 60, self.per_minute),
            ("per hour", 3_600, self.per_hour),
            ("per day", 86_400, self.per_day),
        ]
        return [window for window in every if window[2] > 0]


class RateBudget(Protocol):
    def reserve(self, provider: str, locations: int) -> Reservation:
        """Count a call of `provider` for `locations` locations, if every limit still has room
        for it (all or nothing: a deferred call counts against no limit)."""
        ...


class Unlimited:
    """The budget of a provider without limits (and the default of the pipeline)."""

    def reserve(self, provider: str, locations: int) -> Reservation:
        return Granted()


class RefreshDeferred(Exception):
    """No provider could be called now without overspending its budget: try again later.

    Not a failure (nothing was asked, nothing is wrong) and not a `DomainError`: the drivers
    wait and try again; a task is retried after `retry_after_seconds` without spending one of
    its retries for failures."""

    def __init__(self, deferrals: list[Deferred]) -> None:
        self.deferrals = tuple(deferrals)
        self.retry_after_seconds = min(deferral.retry_after_seconds for deferral in deferrals)
        reasons = "; ".join(
            f"{d.provider} {d.limit}, again in {d.retry_after_seconds:.0f} s" for d in deferrals
        )
        super().__init__(f"every provider's call budget is spent ({reasons})")
