"""Repository ports: the only doors to stored locations, observations, forecasts and alerts.

Repositories are reached through a `UnitOfWork`; nothing they do is durable until it commits.
Every method that lists returns a stable order the contract depends on (noted per method).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from application.pagination import Page, PageRequest
from domain.aggregation import DailySummary
from domain.alerts import Alert, AlertRule
from domain.forecasts import DailyForecast, HourlyForecast
from domain.locations import Coordinates, Location
from domain.observations import Observation, ObservationKey


class LocationRepository(Protocol):
    def add(self, location: Location) -> None:
        """Raises `Conflict` when another location holds the same coordinates (the check in the
        use case can lose a race; the storage's unique constraint cannot)."""
        ...

    def update(self, location: Location) -> None:
        """Store the new state of a location previously returned by `get`."""
        ...

    def remove(self, location_id: uuid.UUID) -> None: ...

    def get(self, location_id: uuid.UUID) -> Location | None: ...

    def get_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Location]:
        """The ones of `location_ids` that exist, by id (one query, for a batch of reports)."""
        ...

    def get_by_coordinates(self, coordinates: Coordinates) -> Location | None: ...

    def search(
        self, *, text: str | None, country_code: str | None, page: PageRequest
    ) -> Page[Location]:
        """Locations whose name contains `text` (case-insensitive), ordered by name then id."""
        ...

    def all(self) -> Sequence[Location]:
        """Every location, ordered by name then id (for refreshing them all)."""
        ...


class ObservationRepository(Protocol):
    def add_many(self, observations: Sequence[Observation]) -> int:
        """Insert each reading, or replace the stored one of the same key (location, instant,
        provider) when its values differ, in a fixed number of round trips whatever the size of
        the batch; a repeat of the stored values changes nothing. How many were news to the
        storage (new, or different from the stored reading of their key), counted by the storage
        itself, so that two writers storing the same reading at once count it once."""
        ...

    def get_many(self, keys: Collection[ObservationKey]) -> Mapping[ObservationKey, Observation]:
        """The stored readings among `keys`, by key (one query, for a batch of readings)."""
        ...

    def latest(self, location_id: uuid.UUID) -> Observation | None:
        """The reading with the greatest `observed_at` (then `fetched_at`)."""
        ...

    def latest_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Observation]:
        """`latest` for several locations at once (a fixed number of queries); locations
        without any reading are absent."""
        ...

    def history(
        self, location_id: uuid.UUID, start: datetime, end: datetime, page: PageRequest
    ) -> Page[Observation]:
        """Readings with `start <= observed_at < end`, oldest first (then by provider)."""
        ...

    def daily_summaries(
        self, location_id: uuid.UUID, timezone: str, start: datetime, end: datetime
    ) -> Sequence[DailySummary]:
        """Readings with `start <= observed_at < end` summarised per calendar day of `timezone`,
        in date order; days without readings are absent. Computed where the data is."""
        ...

    def remove_for_location(self, location_id: uuid.UUID) -> None: ...


class ForecastRepository(Protocol):
    """Keeps the latest hourly and daily forecast of each location; saving replaces."""

    def save_many(self, hourly: Sequence[HourlyForecast], daily: Sequence[DailyForecast]) -> None:
        """Replace the forecasts of a batch of locations at once."""
        ...

    def hourly(self, location_id: uuid.UUID) -> HourlyForecast | None: ...

    def daily(self, location_id: uuid.UUID) -> DailyForecast | None: ...

    def remove_for_location(self, location_id: uuid.UUID) -> None: ...


class AlertRepository(Protocol):
    """Alert rules and the alerts they raised (removing a rule removes its alerts)."""

    def add_rule(self, rule: AlertRule) -> None: ...

    def update_rule(self, rule: AlertRule) -> None: ...

    def remove_rule(self, rule_id: uuid.UUID) -> None: ...

    def get_rule(self, rule_id: uuid.UUID) -> AlertRule | None: ...

    def rules_of_owner(self, owner_id: str, page: PageRequest) -> Page[AlertRule]:
        """The owner's rules, oldest first (then by id)."""
        ...

    def active_rules_for_locations(
        self, location_ids: Collection[uuid.UUID]
    ) -> Sequence[AlertRule]:
        """The active rules of every location of `location_ids`, in one query (for a batch of
        readings), ordered by creation then id."""
        ...

    def update_rule_memories(self, rules: Sequence[AlertRule]) -> None:
        """Store what `rules` remember of past crossings (`is_crossed`, `last_observed_at`), in a
        fixed number of queries whatever their number; the rest of each rule is left as it is
        stored."""
        ...

    def add_alerts(self, alerts: Sequence[Alert]) -> None:
        """Store new alerts, in a fixed number of queries whatever their number."""
        ...

    def update_alert(self, alert: Alert) -> None: ...

    def get_alert(self, alert_id: uuid.UUID) -> Alert | None: ...

    def alerts_of_owner(
        self,
        owner_id: str,
        *,
        rule_id: uuid.UUID | None,
        location_id: uuid.UUID | None,
        page: PageRequest,
    ) -> Page[Alert]:
        """Alerts of the owner's rules, newest `raised_at` first (then by id)."""
        ...

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        """Remove the location's rules and their alerts."""
        ...
