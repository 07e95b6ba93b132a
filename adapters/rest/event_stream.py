"""The live event stream's body (CONTRACT.md §4, "Live events"): Server-Sent Events, read from
the event log a page at a time, as the client takes them.

What it promises, and how:

- **No thread per stream.** The body is an async iterator, which Django's ASGI handler sends
  from the event loop; a stream waits for the log in `EventWakeups.wait` (one source of wake-ups
  per process), and its reads of the log run on `READERS`, a small pool shared by every stream of
  the process (so at most that many database connections serve them, whatever the streams).
- **Bounded memory for a slow client.** Nothing is queued per stream: the next page of the log
  (at most `PAGE_SIZE` events) is read only when the server asks for the next chunk, which it
  does once the previous one went out (uvicorn waits while the socket's buffer is full). A client
  that reads nothing holds one page, and the kernel's buffers.
- **Resumable.** Every event carries its log id as ``id:``; `ReadEvents` replays what follows a
  ``Last-Event-ID``, and says `reset` (sent with the newest id, from which the stream goes on
  live) when events after it are no longer kept.
- **Ends cleanly.** After `max_duration` (``EVENT_STREAM_MAX_SECONDS``) the body ends and the
  client reconnects with its ``Last-Event-ID`` (after the ``retry:`` hint): a stream re-checks
  who it serves at least that often, and a server shutting down waits for nothing. On shutdown
  (`close_streams`, called by the ASGI worker) every open stream ends at once; a client that
  disconnects cancels its stream (Django cancels the body's iteration).
- **Storage down.** A read that fails does not end the stream: it goes on with keep-alives and
  reads again a moment later, so a database restart costs a pause, not every client's connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import orjson
from asgiref.sync import sync_to_async
from django.db import connections

from application.ports.event_log import EventWakeups, StoredEvent
from application.use_cases.open_event_stream import EventStreamStart
from application.use_cases.read_events import ReadEvents, ReadEventsQuery, ReadEventsResult
from domain.errors import DomainError

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/event-stream"
#: Events read (and sent as one chunk) at a time: what a stream holds at most.
PAGE_SIZE = 100
#: The pool of the streams' reads of the log; its threads hold one database connection each.
READERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="event-stream-read")
#: After a read that failed (the storage is down), the next one waits this long.
RETRY_READ_SECONDS = 2.0
#: Two reads that find nothing new are at least this far apart, should wake-ups ever come in a
#: rush (an early wake-up is allowed by the port): a stream never spins.
MIN_IDLE_READ_INTERVAL = 0.05
#: Sent to a stream whose resume point is older than the log keeps.
RESET_REASON = "Events after the given Last-Event-ID are no longer kept: reload, then go on live."

T = TypeVar("T")


def encode_event(event_id: int, event_type: str, data: object) -> bytes:
    """One SSE event: ``id``, ``event`` and its JSON ``data`` on one line (orjson never writes a
    raw newline, so the data cannot break the framing)."""
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (
        event_id,
        event_type.encode(),
        orjson.dumps(data),
    )


def encode_page(events: tuple[StoredEvent, ...]) -> bytes:
    return b"".join(encode_event(event.id, event.type, dict(event.data)) for event in events)


KEEP_ALIVE = b": keep-alive\n\n"


def encode_retry(milliseconds: int) -> bytes:
    return b"retry: %d\n\n" % milliseconds


class StreamClosing:
    """Tells every open stream of this process that the server is shutting down.

    One future per event loop that serves streams; `close` may be called from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closed = False
        self._futures: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Future[None]]
        self._futures = weakref.WeakKeyDictionary()

    @property
    def closed(self) -> bool:
        return self._closed

    def future(self) -> asyncio.Future[None]:
        """Done once the streams must end (this loop's)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            future = self._futures.get(loop)
            if future is None:
                future = loop.create_future()
                self._futures[loop] = future
                if self._closed:
                    future.set_result(None)
            return future

    def close(self) -> None:
        with self._lock:
            self._closed = True
            futures = list(self._futures.items())
        for loop, future in futures:
            # A closed loop raises RuntimeError: its streams are gone with it.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_finish, future)

    def reopen(self) -> None:
        """For tests that start and stop servers in one process."""
        with self._lock:
            self._closed = False
            self._futures = weakref.WeakKeyDictionary()


def _finish(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


#: The process's streams, ended by `close_streams`.
CLOSING = StreamClosing()


def close_streams() -> None:
    """End every open stream of this process now (the server is shutting down)."""
    CLOSING.close()


async def in_reader(call: Callable[[], T]) -> T:
    """`call` (a sync read of the log) on the readers' pool, never on the event loop."""
    return await sync_to_async(_fresh_connection(call), thread_sensitive=False, executor=READERS)()


def _fresh_connection(call: Callable[[], T]) -> Callable[[], T]:
    @functools.wraps(call)
    def run() -> T:
        try:
            return call()
        except DomainError:
            # A lost connection stays lost in this pool thread: drop it, the next read reconnects.
            connections.close_all()
            raise

    return run


class EventStream:
    """The body of one stream: `chunks()` is the async iterator to stream."""

    def __init__(
        self,
        *,
        start: EventStreamStart,
        read_events: ReadEvents,
        wakeups: EventWakeups,
        keepalive_seconds: float,
        retry_milliseconds: int,
        max_seconds: float,
        closing: StreamClosing = CLOSING,
        page_size: int = PAGE_SIZE,
    ) -> None:
        self._start = start
        self._read_events = read_events
        self._wakeups = wakeups
        self._keepalive = keepalive_seconds
        self._retry = retry_milliseconds
        self._max_seconds = max_seconds
        self._closing = closing
        self._page_size = page_size

    async def chunks(self) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        closing = self._closing.future()
        deadline = loop.time() + self._max_seconds
        yield encode_retry(self._retry)
        last = self._start.after_id
        next_keepalive = loop.time() + self._keepalive
        last_idle_read = -1.0
        while not closing.done():
            try:
                result = await in_reader(functools.partial(self._read, last))
            except DomainError as error:
                logger.warning("An event stream cannot read the event log: %s", error)
                result = None
            now = loop.time()
            if result is not None and result.reset:
                yield encode_event(result.last_id, "reset", {"reason": RESET_REASON})
                last, next_keepalive = result.last_id, now + self._keepalive
                continue
            if result is not None:
                moved, last = result.last_id > last, result.last_id
                if result.events:
                    yield encode_page(result.events)
                    next_keepalive = loop.time() + self._keepalive
                if moved and now < deadline:
                    continue  # a full page, or a hidden run: there may be more at once
            if now >= deadline:
                return
            if now >= next_keepalive:
                yield KEEP_ALIVE
                next_keepalive = now + self._keepalive
            if result is None:
                timeout = min(RETRY_READ_SECONDS, next_keepalive - now, deadline - now)
                await asyncio.wait([closing], timeout=max(timeout, 0.0))
                continue
            if now - last_idle_read < MIN_IDLE_READ_INTERVAL:
                await asyncio.sleep(MIN_IDLE_READ_INTERVAL)
            last_idle_read = loop.time()
            timeout = max(min(next_keepalive, deadline) - loop.time(), 0.0)
            waiting = asyncio.ensure_future(self._wakeups.wait(last, timeout))
            try:
                await asyncio.wait([waiting, closing], return_when=asyncio.FIRST_COMPLETED)
            finally:
                if not waiting.done():
                    waiting.cancel()

    def _read(self, after_id: int) -> ReadEventsResult:
        return self._read_events.execute(
            ReadEventsQuery(
                after_id,
                location_ids=self._start.location_ids,
                requester_id=self._start.requester_id,
                limit=self._page_size,
            )
        )
