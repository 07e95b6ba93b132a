"""Domain events: facts the use cases announce after their unit of work has committed.

Handlers in `application.event_handlers` react to them (evaluate alert rules, queue a webhook),
and adapters may subscribe too (a cache drops a location's weather on `WeatherRefreshed`). Events
are published only after commit, so nobody reacts to something that was rolled back.
"""

from __future__ import annotations

import uuid

import attrs

from domain.alerts import Alert
from domain.observations import Observation


@attrs.frozen
class Event:
    """Base of every event, so a bus can be typed."""


@attrs.frozen
class ObservationStored(Event):
    """A reading that was not known before (or a fresher version of one) is now stored."""

    observation: Observation


@attrs.frozen
class WeatherRefreshed(Event):
    """New current weather and forecasts are stored for these locations."""

    location_ids: tuple[uuid.UUID, ...]
    provider: str


@attrs.frozen
class AlertRaised(Event):
    """A rule raised `alert`; `webhook_url` is where its owner wants to hear about it."""

    alert: Alert
    webhook_url: str | None


@attrs.frozen
class LocationDeleted(Event):
    """The location and everything recorded about it are gone."""

    location_id: uuid.UUID
