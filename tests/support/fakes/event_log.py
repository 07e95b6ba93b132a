"""The event log in memory (`InMemoryEventLog`), the outbox of the in-memory unit of work, and
wake-ups a test rings by hand (`ManualEventWakeups`).

`InMemoryEventLog` keeps the promises of the `EventLog` port as the Django one does (the suite
in ``tests/support/event_log_contract.py`` holds both to them): ids increase in commit order
(`append` is called by a commit, one at a time) and are never reused; the purge drops a prefix
of the log and remembers the highest id it dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from application.ports.clock import Clock
from application.ports.event_log import EventEntry, StoredEvent


class InMemoryEventLog:
    def __init__(self, clock: Clock | None = None) -> None:
        """`clock` dates the events (and a `weather.refreshed`'s `refreshed_at`); the system's
        time without one."""
        self.clock = clock
        self.events: list[StoredEvent] = []
        self.purged_through = 0
        self._last_id = 0

    def now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(UTC)

    def append(self, entries: Sequence[EventEntry], at: datetime) -> None:
        """Log the entries of one commit, in order."""
        for entry in entries:
            self._last_id += 1
            self.events.append(
                StoredEvent(
                    id=self._last_id,
                    type=entry.type,
                    data=entry.data,
                    location_ids=entry.location_ids,
                    owner_id=entry.owner_id,
                    created_at=at,
                )
            )

    def after(self, event_id: int, *, limit: int) -> Sequence[StoredEvent]:
        return [event for event in self.events if event.id > event_id][:limit]

    def latest_id(self) -> int:
        return self._last_id

    def is_kept(self, event_id: int) -> bool:
        return event_id >= self.purged_through

    def purge_older_than(self, instant: datetime) -> int:
        older = [event.id for event in self.events if event.created_at < instant]
        if not older:
            return 0
        cutoff = max(older)
        kept = [event for event in self.events if event.id > cutoff]
        purged = len(self.events) - len(kept)
        self.events = kept
        self.purged_through = max(self.purged_through, cutoff)
        return purged


class ManualEventWakeups:
    """`EventWakeups` for tests of a stream: `wait` returns when the test calls `wake()` (from
    the stream's event loop) or at its timeout; `waits` lists every `(after_id, timeout)`."""

    def __init__(self) -> None:
        self.waits: list[tuple[int, float]] = []
        self._signal: asyncio.Event | None = None

    async def wait(self, after_id: int, timeout: float) -> None:
        self.waits.append((after_id, timeout))
        if self._signal is None:
            self._signal = asyncio.Event()
        signal = self._signal
        try:
            async with asyncio.timeout(timeout):
                await signal.wait()
        except TimeoutError:
            return

    def wake(self) -> None:
        signal, self._signal = self._signal, None
        if signal is not None:
            signal.set()
