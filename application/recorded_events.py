"""`RecordedEvents`: the events of one unit of work, from the change that records them to the bus.

Every unit of work (the Django one, the in-memory one) keeps its events in one of these, so they
cannot differ in when an event goes out:

1. `record`: the code that changes state records what the change means, inside the unit of work.
2. `collect_new_events`, when the unit commits, before its transaction ends: the events this
   commit makes true. This is where an outbox would write them, in the same transaction.
3. `committed`, once the transaction has committed: they are facts now.
4. `end`, when the unit of work's block ends: what was recorded and not committed is dropped,
   and the committed events go to the message bus, once. Handlers run after the block, so a
   handler may use a unit of work itself (even this one) without nesting in it.

A commit that fails drops what it had collected: nothing is announced for a rolled-back unit.

Why events are recorded by the application code that makes the change, and not by entities as
in cosmicpython's ``collect_new_events``: most changes here are batches of frozen values (a
provider's readings and forecasts for a hundred locations), with no entity to carry "these
readings were stored"; the facts worth announcing are the storage's results (`add_many` counts
what was news to the storage itself, so two concurrent writers announce a reading once); and
events are the application's vocabulary (what clients are told), which `domain/` does not
import. So the use case or pipeline step that calls a repository records, beside that call and
in the same unit of work, the event its result means; the unit of work owns the events from then
on, and no use case holds a message bus.
"""

from __future__ import annotations

from application.events import Event
from application.message_bus import MessageBus


class RecordedEvents:
    def __init__(self, bus: MessageBus | None = None) -> None:
        """`bus` receives the committed events; without one they are handed to a bus that
        nobody listens to (a unit of work built alone, in a test or a script)."""
        self._bus = bus if bus is not None else MessageBus()
        self._new: list[Event] = []
        self._committed: list[Event] = []

    def record(self, events: tuple[Event, ...]) -> None:
        self._new.extend(events)

    def collect_new_events(self) -> tuple[Event, ...]:
        """The events recorded since the last commit, taken out (call it when committing)."""
        collected, self._new = tuple(self._new), []
        return collected

    def committed(self, events: tuple[Event, ...]) -> None:
        """`events` were collected by a commit that succeeded."""
        self._committed.extend(events)

    def end(self) -> None:
        """The unit of work's block ended: drop what it did not commit, then publish what it
        committed, once."""
        self._new.clear()
        events, self._committed = self._committed, []
        if events:
            self._bus.publish(*events)
