"""The body of one event stream (``adapters/rest/event_stream.py``) driven by hand, in one event
loop, over the in-memory event log: what it sends, when, and how much it reads ahead (nothing).
The server around it is ``test_event_stream.py``'s."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Coroutine, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import pytest

from adapters.rest.event_stream import KEEP_ALIVE, EventStream, StreamClosing
from application.ports.event_log import EventEntry, StoredEvent
from application.use_cases.open_event_stream import EventStreamStart
from application.use_cases.read_events import ReadEvents
from tests.support.builders import NOW
from tests.support.fakes.event_log import InMemoryEventLog

HERE = uuid.uuid4()
T = TypeVar("T")


class CountingLog(InMemoryEventLog):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def after(self, event_id: int, *, limit: int) -> Sequence[StoredEvent]:
        self.reads += 1
        return super().after(event_id, limit=limit)


class Wakeups:
    """Wakes a waiter as soon as the log holds an id above its own (checked every 10 ms)."""

    def __init__(self, log: InMemoryEventLog) -> None:
        self.log = log

    async def wait(self, after_id: int, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.log.latest_id() <= after_id and loop.time() < deadline:
            await asyncio.sleep(0.01)


def refreshed() -> EventEntry:
    return EventEntry(
        type="weather.refreshed", data={"location_ids": [str(HERE)]}, location_ids=(HERE,)
    )


def a_stream(
    log: InMemoryEventLog,
    *,
    after_id: int = 0,
    keepalive: float = 10.0,
    max_seconds: float = 30.0,
    closing: StreamClosing | None = None,
    page_size: int = 100,
) -> AsyncIterator[bytes]:
    return EventStream(
        start=EventStreamStart(after_id=after_id, location_ids=frozenset(), requester_id=None),
        read_events=ReadEvents(log),
        wakeups=Wakeups(log),
        keepalive_seconds=keepalive,
        retry_milliseconds=1500,
        max_seconds=max_seconds,
        closing=closing or StreamClosing(),
        page_size=page_size,
    ).chunks()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(asyncio.wait_for(coroutine, timeout=20))


def test_it_starts_with_the_retry_hint_then_replays_then_goes_on_live() -> None:
    log = InMemoryEventLog()
    log.append([refreshed(), refreshed()], NOW)

    async def scenario() -> list[bytes]:
        chunks = a_stream(log, after_id=1)
        first = [await anext(chunks), await anext(chunks)]
        log.append([refreshed()], NOW)
        return [*first, await anext(chunks)]

    hint, replayed, live = run(scenario())

    assert hint == b"retry: 1500\n\n"
    assert replayed.startswith(b"id: 2\nevent: weather.refreshed\ndata: {")
    assert replayed.count(b"id: ") == 1
    assert live.startswith(b"id: 3\n")


def test_a_quiet_stream_sends_keep_alives_at_its_interval_and_ends_at_its_maximum() -> None:
    async def scenario() -> tuple[list[bytes], float]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        chunks = [
            chunk async for chunk in a_stream(InMemoryEventLog(), keepalive=0.1, max_seconds=0.55)
        ]
        return chunks, loop.time() - started

    chunks, lasted = run(scenario())

    assert chunks[1:] == [KEEP_ALIVE] * 5
    assert 0.5 <= lasted < 1.5


def test_closing_ends_every_open_stream_at_once() -> None:
    closing = StreamClosing()

    async def scenario() -> list[bytes]:
        chunks = a_stream(InMemoryEventLog(), closing=closing)
        hint = await anext(chunks)
        asyncio.get_running_loop().call_later(0.05, closing.close)
        return [hint, *[chunk async for chunk in chunks]]

    assert run(scenario()) == [b"retry: 1500\n\n"]


def test_nothing_is_read_ahead_of_what_the_client_takes() -> None:
    log = CountingLog()
    for _ in range(50):
        log.append([refreshed()], NOW)

    async def scenario() -> list[int]:
        chunks = a_stream(log, page_size=10)
        await anext(chunks)  # the hint
        reads = []
        for _ in range(3):
            await anext(chunks)
            await asyncio.sleep(0.05)  # a slow client: the stream must wait for it
            reads.append(log.reads)
        return reads

    # One page of 10 per chunk taken, however long the client dawdles.
    assert run(scenario()) == [1, 2, 3]


def test_a_resume_point_older_than_what_is_kept_is_a_reset_with_the_newest_id() -> None:
    log = InMemoryEventLog()
    log.append([refreshed(), refreshed()], NOW)
    log.append([refreshed()], NOW + timedelta(hours=2))
    log.purge_older_than(NOW + timedelta(hours=1))

    async def scenario() -> bytes:
        chunks = a_stream(log, after_id=0)
        await anext(chunks)
        return await anext(chunks)

    reset = run(scenario())

    assert reset.startswith(b'id: 3\nevent: reset\ndata: {"reason":')


@pytest.mark.parametrize("data", [{"text": "two\nlines"}, {"text": "\r\n\n"}])
def test_data_with_line_breaks_stays_on_one_data_line(data: dict[str, str]) -> None:
    from adapters.rest.event_stream import encode_event

    encoded = encode_event(7, "location.updated", data)

    assert encoded.count(b"\n") == 4  # id, event, data, and the blank line


def test_streams_at_the_same_place_share_one_read_of_the_log_for_a_moment() -> None:
    from adapters.rest.shared_reads import SharedReadsEventLog

    log = CountingLog()
    log.append([refreshed()], NOW)
    shared = SharedReadsEventLog(lambda: log, ttl=0.2)

    first = [shared.after(0, limit=10) for _ in range(100)]
    log.append([refreshed()], NOW)
    assert log.reads == 1
    assert all(answer == first[0] for answer in first)
    assert [e.id for e in shared.after(1, limit=10)] == [2]  # another place: its own read

    time.sleep(0.25)
    assert [e.id for e in shared.after(0, limit=10)] == [1, 2]  # the answer aged out
    assert log.reads == 3


def test_a_stream_over_shared_reads_misses_nothing_committed_just_after_a_shared_answer() -> None:
    from adapters.rest.shared_reads import SharedReadsEventLog

    log = InMemoryEventLog()
    shared = SharedReadsEventLog(lambda: log)

    async def scenario() -> list[int]:
        chunks = EventStream(
            start=EventStreamStart(after_id=0, location_ids=frozenset(), requester_id=None),
            read_events=ReadEvents(shared),
            wakeups=Wakeups(log),
            keepalive_seconds=10,
            retry_milliseconds=1500,
            max_seconds=30,
            closing=StreamClosing(),
        ).chunks()
        await anext(chunks)
        shared.after(0, limit=100)  # an empty answer, shared for 0.25 s
        log.append([refreshed()], NOW)
        return [
            int(line.split()[1])
            for line in (await anext(chunks)).splitlines()
            if line.startswith(b"id:")
        ]

    assert run(scenario()) == [1]
