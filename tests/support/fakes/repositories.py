"""Repositories over plain dictionaries, ordered and filtered the way the ports promise.

`snapshot()` gives the unit of work a private copy: dictionaries are copied, mutable entities
(locations, rules, alerts) are copied one level deep, frozen values are shared.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from application.pagination import Page, PageRequest
from domain.aggregation import DailySummary, summarize_daily
from domain.alerts import Alert, AlertRule
from domain.errors import Conflict
from domain.forecasts import DailyForecast, HourlyForecast
from domain.locations import Coordinates, Location
from domain.observations import Observation, ObservationKey


class InMemoryLocationRepository:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, Location] = {}

    def snapshot(self) -> InMemoryLocationRepository:
        twin = copy.copy(self)
        twin.rows = {key: copy.copy(location) for key, location in self.rows.items()}
        return twin

    def add(self, location: Location) -> None:
        """Refuses a second location on the same coordinates, as the database's unique index."""
        occupant = self.get_by_coordinates(location.coordinates)
        if occupant is not None and occupant.id != location.id:
            raise Conflict(f"Location {occupant.id} is already at {location.coordinates}.")
        self.rows[location.id] = location

    def update(self, location: Location) -> None:
        self.add(location)

    def remove(self, location_id: uuid.UUID) -> None:
        self.rows.pop(location_id, None)

    def get(self, location_id: uuid.UUID) -> Location | None:
        return self.rows.get(location_id)

    def get_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Location]:
        return {key: self.rows[key] for key in location_ids if key in self.rows}

    def get_by_coordinates(self, coordinates: Coordinates) -> Location | None:
        return next((loc for loc in self.rows.values() if loc.coordinates == coordinates), None)

    def search(
        self, *, text: str | None, country_code: str | None, page: PageRequest
    ) -> Page[Location]:
        found = [
            location
            for location in self.all()
            if (text is None or text.casefold() in location.name.casefold())
            and (country_code is None or location.country_code == country_code)
        ]
        return page.slice(found)

    def all(self) -> Sequence[Location]:
        return sorted(self.rows.values(), key=lambda loc: (loc.name.casefold(), str(loc.id)))


class InMemoryObservationRepository:
    def __init__(self) -> None:
        self.rows: dict[ObservationKey, Observation] = {}

    def snapshot(self) -> InMemoryObservationRepository:
        twin = copy.copy(self)
        twin.rows = dict(self.rows)
        return twin

    def add_many(self, observations: Sequence[Observation]) -> int:
        changed = 0
        for observation in observations:
            if observation.is_news_against(self.rows.get(observation.key)):
                self.rows[observation.key] = observation
                changed += 1
        return changed

    def get_many(self, keys: Collection[ObservationKey]) -> Mapping[ObservationKey, Observation]:
        return {key: self.rows[key] for key in keys if key in self.rows}

    def latest(self, location_id: uuid.UUID) -> Observation | None:
        readings = [r for r in self.rows.values() if r.location_id == location_id]
        return max(readings, key=lambda r: (r.observed_at, r.fetched_at), default=None)

    def latest_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Observation]:
        found = {key: self.latest(key) for key in location_ids}
        return {key: reading for key, reading in found.items() if reading is not None}

    def history(
        self, location_id: uuid.UUID, start: datetime, end: datetime, page: PageRequest
    ) -> Page[Observation]:
        return page.slice(self._range(location_id, start, end))

    def daily_summaries(
        self, location_id: uuid.UUID, timezone: str, start: datetime, end: datetime
    ) -> Sequence[DailySummary]:
        return summarize_daily(self._range(location_id, start, end), timezone)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        self.rows = {k: r for k, r in self.rows.items() if r.location_id != location_id}

    def _range(
        self, location_id: uuid.UUID, start: datetime, end: datetime
    ) -> Sequence[Observation]:
        readings = [
            r
            for r in self.rows.values()
            if r.location_id == location_id and start <= r.observed_at < end
        ]
        return sorted(readings, key=lambda r: (r.observed_at, r.provider))


class InMemoryForecastRepository:
    def __init__(self) -> None:
        self.hourly_rows: dict[uuid.UUID, HourlyForecast] = {}
        self.daily_rows: dict[uuid.UUID, DailyForecast] = {}

    def snapshot(self) -> InMemoryForecastRepository:
        twin = copy.copy(self)
        twin.hourly_rows = dict(self.hourly_rows)
        twin.daily_rows = dict(self.daily_rows)
        return twin

    def save_many(self, hourly: Sequence[HourlyForecast], daily: Sequence[DailyForecast]) -> None:
        self.hourly_rows.update((forecast.location_id, forecast) for forecast in hourly)
        self.daily_rows.update((forecast.location_id, forecast) for forecast in daily)

    def hourly(self, location_id: uuid.UUID) -> HourlyForecast | None:
        return self.hourly_rows.get(location_id)

    def daily(self, location_id: uuid.UUID) -> DailyForecast | None:
        return self.daily_rows.get(location_id)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        self.hourly_rows.pop(location_id, None)
        self.daily_rows.pop(location_id, None)


class InMemoryAlertRepository:
    def __init__(self) -> None:
        self.rules: dict[uuid.UUID, AlertRule] = {}
        self.alerts: dict[uuid.UUID, Alert] = {}

    def snapshot(self) -> InMemoryAlertRepository:
        twin = copy.copy(self)
        twin.rules = {key: copy.copy(rule) for key, rule in self.rules.items()}
        twin.alerts = {key: copy.copy(alert) for key, alert in self.alerts.items()}
        return twin

    def add_rule(self, rule: AlertRule) -> None:
        self.rules[rule.id] = rule

    def update_rule(self, rule: AlertRule) -> None:
        self.rules[rule.id] = rule

    def remove_rule(self, rule_id: uuid.UUID) -> None:
        self.rules.pop(rule_id, None)
        self.alerts = {k: a for k, a in self.alerts.items() if a.rule_id != rule_id}

    def get_rule(self, rule_id: uuid.UUID) -> AlertRule | None:
        return self.rules.get(rule_id)

    def rules_of_owner(self, owner_id: str, page: PageRequest) -> Page[AlertRule]:
        owned = [rule for rule in self.rules.values() if rule.owner_id == owner_id]
        return page.slice(sorted(owned, key=lambda rule: (rule.created_at, str(rule.id))))

    def active_rules_for_locations(
        self, location_ids: Collection[uuid.UUID]
    ) -> Sequence[AlertRule]:
        """Copies, as a database would give: only `update_rule_memories` stores what changes."""
        wanted = set(location_ids)
        found = [r for r in self.rules.values() if r.location_id in wanted and r.active]
        return [copy.copy(r) for r in sorted(found, key=lambda r: (r.created_at, str(r.id)))]

    def update_rule_memories(self, rules: Sequence[AlertRule]) -> None:
        for rule in rules:
            stored = self.rules.get(rule.id)
            if stored is not None:  # a rule deleted meanwhile stays deleted
                stored.is_crossed, stored.last_observed_at = rule.is_crossed, rule.last_observed_at

    def add_alerts(self, alerts: Sequence[Alert]) -> None:
        self.alerts.update((alert.id, alert) for alert in alerts)

    def update_alert(self, alert: Alert) -> None:
        self.alerts[alert.id] = alert

    def get_alert(self, alert_id: uuid.UUID) -> Alert | None:
        return self.alerts.get(alert_id)

    def alerts_of_owner(
        self,
        owner_id: str,
        *,
        rule_id: uuid.UUID | None,
        location_id: uuid.UUID | None,
        page: PageRequest,
    ) -> Page[Alert]:
        found = [
            alert
            for alert in self.alerts.values()
            if alert.owner_id == owner_id
            and (rule_id is None or alert.rule_id == rule_id)
            and (location_id is None or alert.location_id == location_id)
        ]
        found.sort(key=lambda alert: (alert.raised_at, str(alert.id)), reverse=True)
        return page.slice(found)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        self.rules = {k: r for k, r in self.rules.items() if r.location_id != location_id}
        self.alerts = {k: a for k, a in self.alerts.items() if a.location_id != location_id}
