"""The in-process message bus: carries the events a unit of work committed to the handlers that
react (`event_handlers.py`). Only units of work publish, when their block ends
(`recorded_events.py`); use cases record events in their unit of work and never hold a bus.

Handlers run one after another, in subscription order, on the caller's thread (each thread has
its own queue). An event published while handlers run is queued, not nested, so chains
(stored → evaluated → raised → queued) unfold breadth-first. A failing handler is logged and
skipped: an alert that cannot be evaluated must not undo the weather that was already stored.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict, deque
from collections.abc import Callable
from typing import TypeVar, cast

from application.events import Event

logger = logging.getLogger(__name__)

E = TypeVar("E", bound=Event)
Handler = Callable[[Event], None]


class MessageBus:
    """Routes each event to the handlers subscribed to its exact type."""

    def __init__(self) -> None:
        self._handlers: defaultdict[type[Event], list[Handler]] = defaultdict(list)
        self._local = threading.local()

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> None:
        self._handlers[event_type].append(cast(Handler, handler))

    def publish(self, *events: Event) -> None:
        """Deliver `events` (and whatever they cause) before returning."""
        queue: deque[Event] | None = getattr(self._local, "queue", None)
        if queue is not None:  # called from a handler: the outer loop will get to them
            queue.extend(events)
            return
        queue = self._local.queue = deque(events)
        try:
            while queue:
                self._dispatch(queue.popleft())
        finally:
            self._local.queue = None

    def _dispatch(self, event: Event) -> None:
        for handler in self._handlers[type(event)]:
            try:
                handler(event)
            except Exception:
                logger.exception("Handler %r failed on %r", handler, event)
