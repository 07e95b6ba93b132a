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
    @property
    def name(self) -> str: ...

    def fetch_history(self, location: Location, start: date, end: date) -> Sequence[Observation]:
        """Hourly readings of the UTC days `start` to `end`, both included."""
        ...
