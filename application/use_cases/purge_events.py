"""Purge the live events older than the retention (what ``weather.purge_events`` does hourly).

The event log keeps events only for streams that resume (CONTRACT.md §4: at least
EVENT_RETENTION_HOURS); past that they are dropped, and the log remembers how far it dropped
them, so a stream resuming from before is told to `reset` instead of silently missing events.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs

from application.ports.clock import Clock
from application.ports.event_log import EventLog
from application.results.json_values import instant


@attrs.frozen
class PurgeEventsCommand:
    retention: timedelta = attrs.field()

    @retention.validator
    def _positive(self, attribute: attrs.Attribute[timedelta], value: timedelta) -> None:
        if value <= timedelta(0):
            raise ValueError("The retention of live events must be positive.")


@attrs.frozen(kw_only=True)
class PurgeEventsResult:
    purged: int
    older_than: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "purged": self.purged,
            "older_than": instant(self.older_than),
        }


class PurgeEvents:
    def __init__(self, event_log: EventLog, clock: Clock) -> None:
        self._log = event_log
        self._clock = clock

    def execute(self, command: PurgeEventsCommand) -> PurgeEventsResult:
        older_than = self._clock.now() - command.retention
        return PurgeEventsResult(
            purged=self._log.purge_older_than(older_than), older_than=older_than
        )
