"""Events: facts about changes that a unit of work has committed.

The code that makes a change records its event in the same unit of work (`UnitOfWork.record`);
the unit of work collects them when it commits and hands them to the message bus after, so
nothing is announced for work that was rolled back, and no use case publishes anything itself
(`application/recorded_events.py` says why events are recorded there and not by entities).

Who records each, and who listens today:

- `LocationCreated`, `LocationUpdated`, `LocationDeleted`: recorded by `RegisterLocation`,
  `UpdateLocation` and `DeleteLocation`. Client-facing; nothing in this process listens yet.
- `ObservationsStored`, `ForecastsReplaced`, `WeatherRefreshed`: recorded by the refresh
  pipeline's store step (`application/refresh/pipeline.py`), one of each per stored batch.
  `ObservationsStored` is handled by `EvaluateAlertRules`, for the whole batch in one unit of
  work; the other two are client-facing, and nothing in this process listens yet.
- `AlertRaised`: recorded by `EvaluateAlertRules`, one per alert; handled by
  `QueueWebhookDelivery` (a webhook task when the rule has a webhook). Client-facing too.

"Client-facing" events describe a change a client of the API cares about; the event stream
(the next step: an outbox written in the same transaction, streamed to clients) subscribes to
them. They are kept although nothing in this process reacts to them yet. No cache listens to any
of them: the repositories' cache drops what a write makes stale itself (``adapters/persistence/
cache.py``). Backfilled history records no event: alerts are about now.

Events carry ids and frozen values; `AlertRaised` carries the alert it announces, as raised.
"""

from __future__ import annotations

import uuid

import attrs

from domain.alerts import Alert
from domain.observations import Observation


@attrs.frozen
class Event:
    """Base of every event, so a bus and a unit of work can be typed."""


# --- locations (client-facing) ------------------------------------------------------------------


@attrs.frozen
class LocationCreated(Event):
    """A location is tracked from now on."""

    location_id: uuid.UUID


@attrs.frozen
class LocationUpdated(Event):
    """A location's name, place, time zone or elevation changed."""

    location_id: uuid.UUID


@attrs.frozen
class LocationDeleted(Event):
    """The location and everything recorded about it are gone."""

    location_id: uuid.UUID


# --- weather: one of each per stored batch ------------------------------------------------------


@attrs.frozen(kw_only=True)
class ObservationsStored(Event):
    """Readings that were news (new, or a revised version of a stored one) are now stored.

    `count` is what the storage counted as changed (a reading that a concurrent refresh stored
    first is not counted twice); `observations` are the news readings themselves, which the
    alert rules of `location_ids` are evaluated against.
    """

    location_ids: tuple[uuid.UUID, ...]
    count: int
    observations: tuple[Observation, ...]


@attrs.frozen(kw_only=True)
class ForecastsReplaced(Event):
    """The hourly and/or daily forecasts of these locations were replaced by `provider`'s."""

    location_ids: tuple[uuid.UUID, ...]
    provider: str


@attrs.frozen
class WeatherRefreshed(Event):
    """`provider` answered for these locations and its answer is stored (current weather and
    forecasts), whether or not the current reading was news."""

    location_ids: tuple[uuid.UUID, ...]
    provider: str


# --- alerts ---------------------------------------------------------------------------------------


@attrs.frozen
class AlertRaised(Event):
    """A rule raised `alert`; `webhook_url` is where its owner wants to hear about it."""

    alert: Alert
    webhook_url: str | None
