"""`Outbox`: the events a commit collects, written as ``weather_event`` rows in its transaction.

An event row exists exactly when the change it tells of was committed: the unit of work writes
them just before it commits, in the same transaction, so a rolled-back unit leaves none and a
committed one cannot lose them (what each event becomes: ``application/ports/event_log.py``).

Ids increase in commit order, which a plain auto-increment does not give: two transactions can
take ids 7 and 8 and commit 8 first, and a stream that sent 8 would skip 7 for ever. So inserts
into the outbox are serialised until their commit:

- PostgreSQL: a transaction-level advisory lock (`LOCK_KEY`) is taken just before the insert and
  held until the transaction ends, so the next writer takes its ids only once this one is
  committed and visible. Only the last moment of a transaction is serialised: the unit of work
  writes its events at `commit()`, after all its other work. The same transaction sends
  ``NOTIFY weather_events, '<highest id>'``, which PostgreSQL delivers at commit (never for a
  rollback), for the wake-ups (``wakeups.py``).
- SQLite: writers are serialised already: every transaction is ``BEGIN IMMEDIATE`` and holds
  the database's write lock from its start to its end (``docs/decisions/0002``).

The rows are made after the lock is taken, so their `created_at` (and a ``weather.refreshed``'s
``refreshed_at``) follow the ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import connections
from django.utils import timezone

from adapters.persistence import mappers, models
from adapters.persistence.session import Session
from application.events import Event
from application.ports.event_log import EventEntry, entries_for, locations_needed
from domain.locations import Location

#: The advisory lock of outbox inserts ("weather" in ASCII); advisory locks are per database.
LOCK_KEY = 0x77656174686572
#: The channel that hears of every commit that wrote events; the payload is its highest id.
CHANNEL = "weather_events"


class Outbox:
    def __init__(self, session: Session) -> None:
        self._session = session

    def write(self, events: Sequence[Event]) -> None:
        """Log `events` in the unit of work's open transaction (opening it if need be)."""
        if not events:
            return
        using = self._session.using
        with self._session.access():
            locations = self._locations(events)
            if not entries_for(events, locations=locations, at=timezone.now()):
                return  # nothing client-facing (readings and forecasts alone): no lock taken
            postgres = connections[using].vendor == "postgresql"
            if postgres:
                self._take_turn()
            now = timezone.now()
            rows = models.OutboxEvent.objects.using(using).bulk_create(
                [_row(entry, now) for entry in entries_for(events, locations=locations, at=now)]
            )
            if postgres:
                highest = max(row.id for row in rows)
                with connections[using].cursor() as cursor:
                    cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(highest)])

    def _take_turn(self) -> None:
        """Wait until no other transaction that wrote events is still open (PostgreSQL), and
        keep the others waiting until this one ends: the lock goes with the transaction."""
        with connections[self._session.using].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])

    def _locations(self, events: Sequence[Event]) -> dict[uuid.UUID, Location]:
        """The committed state of the locations the events log, read in the transaction."""
        needed = locations_needed(events)
        if not needed:
            return {}
        rows = models.Location.objects.using(self._session.using).filter(pk__in=list(needed))
        return {row.id: mappers.location_from_row(row) for row in rows}


def _row(entry: EventEntry, now: datetime) -> models.OutboxEvent:
    return models.OutboxEvent(
        type=entry.type,
        data=dict(entry.data),
        location_ids=[str(location_id) for location_id in entry.location_ids],
        owner_id=entry.owner_id or "",
        created_at=now,
    )
