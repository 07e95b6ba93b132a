"""`SharedReadsEventLog`: the event log as the open streams of one process read it, each read
made once for all of them.

A commit wakes every open stream of the process at once, and the streams that were up to date
all ask the same question: the events after the same id, the same page size. A thousand streams
made a thousand identical queries (and as many `is_kept`), through a pool of four threads,
which was most of the delivery time on PostgreSQL. Here an answer is kept for `ttl` seconds and
given to every read with the same arguments meanwhile.

Why an answer that old is still right: the log grows only at its end, in commit order, so an
answer for "after N" can only miss events committed since; a stream that got it resumes after
the last id it returned, and its wake-ups (which know the newest id) send it back to read at
once, for an answer no older than `ttl`. So sharing delays a stream by at most `ttl` and never
makes it skip or repeat an event. Visibility and filters are applied afterwards, per stream
(`ReadEvents`): what is shared is the raw page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from application.ports.event_log import EventLog, StoredEvent

#: How long an answer is shared: well under the contract's 2 s, about one poll of the wake-ups.
TTL_SECONDS = 0.25
#: Answers kept at most (distinct positions of the process's streams), the oldest dropped first.
MAX_ENTRIES = 256

T = TypeVar("T")


class SharedReadsEventLog:
    """`log` makes the log to read (the container's provider: the tests move it to another
    database); answers are shared per database (`using`, where the log has one)."""

    def __init__(self, log: Callable[[], EventLog], *, ttl: float = TTL_SECONDS) -> None:
        self._make_log = log
        self._ttl = ttl
        self._lock = threading.Lock()
        self._answers: dict[tuple[object, ...], tuple[float, object]] = {}

    def after(self, event_id: int, *, limit: int) -> Sequence[StoredEvent]:
        log = self._make_log()
        return self._shared(
            log, ("after", event_id, limit), lambda: log.after(event_id, limit=limit)
        )

    def latest_id(self) -> int:
        log = self._make_log()
        return self._shared(log, ("latest",), log.latest_id)

    def is_kept(self, event_id: int) -> bool:
        log = self._make_log()
        return self._shared(log, ("kept", event_id), lambda: log.is_kept(event_id))

    def purge_older_than(self, instant: datetime) -> int:
        return self._make_log().purge_older_than(instant)

    def _shared(self, log: EventLog, question: tuple[object, ...], read: Callable[[], T]) -> T:
        key = (getattr(log, "using", None), *question)
        now = time.monotonic()
        with self._lock:
            found = self._answers.get(key)
            if found is not None and now - found[0] < self._ttl:
                return found[1]  # type: ignore[return-value]
        answer = read()  # outside the lock: a slow query never holds the other streams back
        with self._lock:
            self._answers[key] = (now, answer)
            if len(self._answers) > MAX_ENTRIES:
                oldest = min(self._answers, key=lambda k: self._answers[k][0])
                del self._answers[oldest]
        return answer
