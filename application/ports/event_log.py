"""The event log (the outbox of the live event stream) and its wake-ups: `EventLog`, `EventWakeups`.

A unit of work writes the client-facing events its commit collects into the log in the same
transaction as the change (`entries_for` says what each becomes), so an event is logged exactly
when its change was committed. The log gives every event an id that increases in commit order: a
reader that has seen id N has seen, or will never see, every id below N, so "everything after N"
is a complete resume point. `EventWakeups` tells a waiting stream that something may have been
logged, by whichever process or machine.

What is logged, and why these five (`EventType`):

- `LocationCreated`, `LocationUpdated` → ``location.created``, ``location.updated``: data the
  `LocationResult` as committed (`to_json`); about the location; every stream.
- `LocationDeleted` → ``location.deleted``: data ``{"location_id"}``; about the location; every
  stream.
- `WeatherRefreshed` → ``weather.refreshed``: data ``{"location_ids", "provider",
  "refreshed_at"}``; about its locations; every stream.
- `AlertRaised` → ``alert.raised``: data the `AlertResult` (`to_json`); about the alert's
  location; only the rule's owner (`owner_id`).

`ObservationsStored` and `ForecastsReplaced` are not logged: the same store step records a
`WeatherRefreshed` for the same batch in the same unit of work, which tells a client everything
they would (new current weather and/or forecasts for those locations, to be read again), so
logging them too would send every refresh three times. A location created or updated and then
deleted in the same unit of work logs only what is true at its commit: the deletion.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Protocol

import attrs

from application.events import (
    AlertRaised,
    Event,
    LocationCreated,
    LocationDeleted,
    LocationUpdated,
    WeatherRefreshed,
)
from application.results.alerts import AlertResult
from application.results.locations import LocationResult
from domain.locations import Location


class EventType(enum.StrEnum):
    """The types of the live stream (CONTRACT.md §4); `reset` is the stream's own, never logged."""

    LOCATION_CREATED = "location.created"
    LOCATION_UPDATED = "location.updated"
    LOCATION_DELETED = "location.deleted"
    WEATHER_REFRESHED = "weather.refreshed"
    ALERT_RAISED = "alert.raised"


@attrs.frozen(kw_only=True)
class EventEntry:
    """An event as the log will hold it, before the log gives it an id and a time."""

    type: str
    data: Mapping[str, object]
    location_ids: tuple[uuid.UUID, ...]
    owner_id: str | None = None


@attrs.frozen(kw_only=True)
class StoredEvent:
    """An event of the log: `data` is JSON-able; `owner_id` set means only that account may see
    it (`alert.raised`), None every stream."""

    id: int
    type: str
    data: Mapping[str, object]
    location_ids: tuple[uuid.UUID, ...]
    owner_id: str | None
    created_at: datetime

    def is_visible_to(self, requester_id: str | None) -> bool:
        return self.owner_id is None or (requester_id is not None and self.owner_id == requester_id)

    def concerns_any(self, location_ids: Collection[uuid.UUID]) -> bool:
        """Whether it is about one of `location_ids` (every event, when there are none)."""
        return not location_ids or any(i in location_ids for i in self.location_ids)


class EventLog(Protocol):
    def after(self, event_id: int, *, limit: int) -> Sequence[StoredEvent]:
        """The events with an id above `event_id`, ascending, at most `limit` of them."""
        ...

    def latest_id(self) -> int:
        """The highest id ever logged (purged ones included); 0 while nothing ever was."""
        ...

    def is_kept(self, event_id: int) -> bool:
        """False when some event after `event_id` has been purged: a reader resuming from it
        would miss that event (the stream sends `reset`)."""
        ...

    def purge_older_than(self, instant: datetime) -> int:
        """Drop the events logged before `instant` (and any below them), in bounded batches,
        remembering the highest id dropped for `is_kept`; how many were dropped."""
        ...


class EventWakeups(Protocol):
    """When to read the log again: one instance per process (the container's singleton) serves
    every stream of it, from the asyncio loop that serves them (ASGI). A stream's loop is:

        events = log.after(last_id, limit=...)   # in a thread: the log is synchronous
        ...send them, last_id = the newest sent...
        await wakeups.wait(last_id, timeout=keep_alive)   # then send a keep-alive if nothing

    Whatever the database does, `wait` neither raises nor blocks the loop: while the source
    cannot hear of commits (a lost connection, being reconnected and logged by the adapter), it
    returns early, at least every few seconds, so the streams poll the log instead."""

    async def wait(self, after_id: int, timeout: float) -> None:
        """Return as soon as an event with an id above `after_id` may have been logged, by any
        process or machine, or after `timeout` seconds. Waking early is allowed (read the log
        and wait again); sleeping through a logged event is not. Cheap to call from many
        concurrent streams of one process: they share one listening connection or one poll."""
        ...


def locations_needed(events: Iterable[Event]) -> set[uuid.UUID]:
    """The locations whose committed state `entries_for` needs (to log them as they are)."""
    return {
        event.location_id
        for event in events
        if isinstance(event, LocationCreated | LocationUpdated)
    }


def entries_for(
    events: Iterable[Event], *, locations: Mapping[uuid.UUID, Location], at: datetime
) -> tuple[EventEntry, ...]:
    """What a commit logs for `events`, in their order: `locations` holds the committed state of
    `locations_needed(events)` (a location missing from it was deleted in the same unit, and only
    the deletion is logged); `at` is the instant of the commit (`refreshed_at`)."""
    entries: list[EventEntry] = []
    for event in events:
        match event:
            case LocationCreated() | LocationUpdated():
                location = locations.get(event.location_id)
                if location is None:
                    continue
                kind = (
                    EventType.LOCATION_CREATED
                    if isinstance(event, LocationCreated)
                    else EventType.LOCATION_UPDATED
                )
                entries.append(
                    EventEntry(
                        type=kind.value,
                        data=LocationResult.from_domain(location).to_json(),
                        location_ids=(event.location_id,),
                    )
                )
            case LocationDeleted():
                entries.append(
                    EventEntry(
                        type=EventType.LOCATION_DELETED.value,
                        data={"location_id": str(event.location_id)},
                        location_ids=(event.location_id,),
                    )
                )
            case WeatherRefreshed():
                entries.append(
                    EventEntry(
                        type=EventType.WEATHER_REFRESHED.value,
                        data={
                            "location_ids": [str(i) for i in event.location_ids],
                            "provider": event.provider,
                            "refreshed_at": _instant(at),
                        },
                        location_ids=tuple(event.location_ids),
                    )
                )
            case AlertRaised():
                entries.append(
                    EventEntry(
                        type=EventType.ALERT_RAISED.value,
                        data=AlertResult.from_domain(event.alert).to_json(),
                        location_ids=(event.alert.location_id,),
                        owner_id=event.alert.owner_id,
                    )
                )
            case _:  # ObservationsStored, ForecastsReplaced: told by WeatherRefreshed
                pass
    return tuple(entries)


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
