"""Open a live event stream (``GET /api/v1/events/``): where it starts, checked before it does.

Everything that can make the request wrong is decided here, while the answer can still be a 400:
once a stream has started (200, ``text/event-stream``) a problem can no longer be told. So the
locations of ``?location=`` must exist now (an id that names none is a mistake of the client's,
not a filter that happens to match nothing), and the resume point must be an id of the log.

A stream without ``Last-Event-ID`` starts at the newest id: it sends what is committed from now
on, not the whole retention window. One with an id resumes after it (`ReadEvents` replays, and
says `reset` when that id is older than what is kept).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import attrs

from application.ports.event_log import EventLog
from application.ports.unit_of_work import UnitOfWork
from domain.errors import InvalidInput

#: At most this many ``?location=`` on one stream: a filter, not a way to make the server hold
#: (and match every event against) an unbounded set.
MAX_LOCATIONS = 100


def _last_event_id(_instance: object, _attribute: object, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput("last_event_id", "must be a non-negative integer.")


def _location_ids(value: Iterable[uuid.UUID]) -> frozenset[uuid.UUID]:
    return frozenset(value)


def _locations(_instance: object, _attribute: object, value: frozenset[uuid.UUID]) -> None:
    if len(value) > MAX_LOCATIONS:
        raise InvalidInput("location", "at most {count} locations.", count=MAX_LOCATIONS)


@attrs.frozen
class OpenEventStreamQuery:
    """`last_event_id` None: no resume point, live from now; `location_ids` empty: every
    location; `requester_id` None: an anonymous stream."""

    last_event_id: int | None = attrs.field(default=None, validator=_last_event_id)
    location_ids: frozenset[uuid.UUID] = attrs.field(
        default=frozenset(), converter=_location_ids, validator=_locations
    )
    requester_id: str | None = None


@attrs.frozen
class EventStreamStart:
    """Where the stream's first read begins (`ReadEventsQuery.after_id`), for whom, on what."""

    after_id: int
    location_ids: frozenset[uuid.UUID]
    requester_id: str | None


class OpenEventStream:
    def __init__(self, uow: UnitOfWork, event_log: EventLog) -> None:
        self._uow = uow
        self._log = event_log

    def execute(self, query: OpenEventStreamQuery) -> EventStreamStart:
        if query.location_ids:
            with self._uow as uow:
                found = uow.locations.get_many(query.location_ids)
            missing = sorted(str(i) for i in query.location_ids - set(found))
            if missing:
                raise InvalidInput("location", "no location has the id {id}.", id=missing[0])
        after_id = self._log.latest_id() if query.last_event_id is None else query.last_event_id
        return EventStreamStart(
            after_id=after_id, location_ids=query.location_ids, requester_id=query.requester_id
        )
