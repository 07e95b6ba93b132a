"""Ports to the outside sources of weather knowledge: forecasts, geocoding, archives.

Each raises `domain.errors.ProviderUnavailable` when it cannot answer (timeout, 5xx, malformed
body); the application decides what to do about it (try the next provider, answer 503).
All values they return are domain objects in metric units with UTC instants.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Protocol

import attrs

from domain.forecasts import DailyForecast, HourlyForecast
from domain.locations import Location, Place
from domain.observations import Observation


@attrs.frozen(kw_only=True)
class WeatherReport:
    """Everything one provider said about one location in one call."""

    location_id: uuid.UUID
    current: Observation | None
    hourly: HourlyForecast | None
    daily: DailyForecast | None


class WeatherProvider(Protocol):
    @property
    def name(self) -> str:
        """Recorded on every reading and forecast it supplies (e.g. `open-meteo`)."""
        ...

    @property
    def max_batch_size(self) -> int:
        """How many locations one `fetch` may ask for."""
        ...

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        """Current weather and hourly/daily forecasts for every location, in one call.

        Returns one report per location, in the same order; raises `ProviderUnavailable` rather
        than answer for only some of them.
        """
        ...


class Geocoder(Protocol):
    def search(self, name: str, count: int) -> Sequence[Place]:
        """Up to `count` places matching `name`, best first; empty when nothing matches."""
        ...


class HistoryProvider(Protocol):
    """An archive of past hourly readings, asked for by the location's own calendar days."""

    @property
    def name(self) -> str:
        """Recorded on every reading it supplies (e.g. `open-meteo-archive`)."""
        ...

    def fetch_history(self, location: Location, start: date, end: date) -> Sequence[Observation]:
        """Hourly readings of `location`'s local days `start` to `end`, both included.

        The days are those of `location.timezone`: every reading is a UTC instant `t` with
        `local_day_bounds(start)[0] <= t < local_day_bounds(end)[1]` (`domain.aggregation`), so
        a day has 24 readings, 23 or 25 when the clocks change, and none of another day. Hours
        the archive holds no value for (not computed yet) are left out, never returned as empty
        readings; no instant comes twice. Up to 31 days are one call to the source (the use
        case asks a month at a time). Raises `ProviderUnavailable` rather than answer for only
        some of the days.
        """
        ...
