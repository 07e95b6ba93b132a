"""Read the live events a stream may send after the last one it sent, from the event log.

Visibility and filters are applied here, on the server, never left to the client: an
`alert.raised` goes only to its rule's owner, and a stream limited to some locations gets only
their events. `last_id` is where the next read resumes: the last event *read*, sent or not, so
that a stream whose filter hides a long run of events still moves past them (and a resume id it
gives the client is never behind what it has considered). When a read comes back with
`last_id > after_id` and no events, read again before waiting: the run was hidden.

`reset` means the stream cannot continue from `after_id` without a gap: events after it have been
purged (older than the retention), or the id is not one this log ever gave (a database restored
or replaced since). The client reloads, and the stream goes on live from `last_id` (the newest
id). The log is read before it is asked whether `after_id` is kept, so a purge running between
the two cannot hide a gap.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import attrs

from application.ports.event_log import EventLog, StoredEvent
from domain.errors import InvalidInput

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _after_id(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput("last_event_id", "must be a non-negative integer.")


def _limit(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise InvalidInput("limit", "must be an integer from 1 to {maximum}.", maximum=MAX_LIMIT)


def _location_ids(value: Iterable[uuid.UUID]) -> frozenset[uuid.UUID]:
    return frozenset(value)


@attrs.frozen
class ReadEventsQuery:
    """`location_ids` empty: every location; `requester_id` None: an anonymous stream."""

    after_id: int = attrs.field(validator=_after_id)
    location_ids: frozenset[uuid.UUID] = attrs.field(default=frozenset(), converter=_location_ids)
    requester_id: str | None = None
    limit: int = attrs.field(default=DEFAULT_LIMIT, validator=_limit)


@attrs.frozen
class ReadEventsResult:
    events: tuple[StoredEvent, ...]
    last_id: int
    reset: bool = False


class ReadEvents:
    def __init__(self, event_log: EventLog) -> None:
        self._log = event_log

    def execute(self, query: ReadEventsQuery) -> ReadEventsResult:
        read = self._log.after(query.after_id, limit=query.limit)
        if not self._log.is_kept(query.after_id):
            return ReadEventsResult(events=(), last_id=self._log.latest_id(), reset=True)
        if not read:
            latest = self._log.latest_id()
            if query.after_id > latest:  # an id from another log: nothing here follows it
                return ReadEventsResult(events=(), last_id=latest, reset=True)
            return ReadEventsResult(events=(), last_id=query.after_id)
        visible = tuple(
            event
            for event in read
            if event.is_visible_to(query.requester_id) and event.concerns_any(query.location_ids)
        )
        return ReadEventsResult(events=visible, last_id=read[-1].id)
