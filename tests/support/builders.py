"""One builder per domain concept (a location, a reading, a rule, an alert), so that a test
states only what matters to it; every test package uses these, none has its own.

Pure Python like the core: ``tests/unit`` imports them without Django.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from domain.alerts import Alert, AlertRule, Metric, Operator
from domain.locations import Coordinates, Location
from domain.observations import Observation

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
#: Accounts as the core names them: a user's primary key, as text. Where rules are stored, these
#: users must exist (`tests.support.accounts.the_builders_accounts`).
OWNER = "1001"
OTHER_OWNER = "1002"


def a_location(**overrides: Any) -> Location:
    """Samara unless told otherwise (any argument of `Location.register`)."""
    fields: dict[str, Any] = {
        "name": "Samara",
        "coordinates": Coordinates(53.2, 50.15),
        "timezone": "Europe/Samara",
        "country_code": "RU",
        "admin1": "Samara Oblast",
        "elevation": 117.0,
        "now": NOW,
    }
    fields.update(overrides)
    return Location.register(**fields)


def an_observation(
    location_id: uuid.UUID | None = None,
    *,
    observed_at: datetime = NOW,
    provider: str = "open-meteo",
    fetched_at: datetime | None = None,
    **metrics: Any,
) -> Observation:
    return Observation(
        location_id=location_id or uuid.uuid4(),
        observed_at=observed_at,
        provider=provider,
        fetched_at=fetched_at or observed_at,
        **metrics,
    )


def a_rule(location_id: uuid.UUID | None = None, **overrides: Any) -> AlertRule:
    fields: dict[str, Any] = {
        "owner_id": OWNER,
        "location_id": location_id or uuid.uuid4(),
        "metric": Metric.TEMPERATURE,
        "operator": Operator.GT,
        "threshold": 30.0,
        "created_at": NOW,
    }
    fields.update(overrides)
    return AlertRule(**fields)


def an_alert(rule: AlertRule | None = None, **overrides: Any) -> Alert:
    """What `rule` (a new one unless given) raised for a reading of 31.5 at `NOW`."""
    rule = rule if rule is not None else a_rule()
    fields: dict[str, Any] = {
        "rule_id": rule.id,
        "owner_id": rule.owner_id,
        "location_id": rule.location_id,
        "metric": rule.metric,
        "operator": rule.operator,
        "threshold": rule.threshold,
        "value": 31.5,
        "observed_at": NOW,
        "raised_at": NOW,
    }
    fields.update(overrides)
    return Alert(**fields)


# --- places for the providers to answer about, east and west of Greenwich -----------------------


def a_city(
    name: str,
    latitude: float,
    longitude: float,
    timezone: str,
    elevation: float | None,
    country_code: str | None = None,
) -> Location:
    return a_location(
        name=name,
        coordinates=Coordinates(latitude, longitude),
        timezone=timezone,
        elevation=elevation,
        country_code=country_code,
        admin1=None,
    )


def new_york() -> Location:
    return a_city("New York", 40.7143, -74.006, "America/New_York", 10.0, "US")


def berlin() -> Location:
    return a_city("Berlin", 52.5244, 13.4105, "Europe/Berlin", 43.0, "DE")


def oslo() -> Location:
    """At the MET Norway fixture's point (60.1 N, 10 E, 267 m)."""
    return a_city("Oslo", 60.1, 10.0, "Europe/Oslo", 267.0, "NO")


def locations_along_the_equator(count: int) -> list[Location]:
    """`count` distinct locations (distinct rounded coordinates), in order."""
    return [
        a_city(f"Point {index}", 0.0, round(-179.0 + index * 0.01, 4), "UTC", None)
        for index in range(count)
    ]
