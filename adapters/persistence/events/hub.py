"""`WakeupHub`: the waiting streams of one process, and the thread-safe way to wake them.

A source of wake-ups (``wakeups.py``) feeds it from its own thread: `advance` when it hears of
a newer id, `wake_all` when it may have missed some. Streams `wait` in their asyncio loops; the
hub keeps, for each loop with waiters, one signal they all await, and reaches a loop only through
``call_soon_threadsafe``, so any number of loops (an ASGI server's one, a test's several) can
wait on it. A wake-up may come early (the caller reads the log and waits again), never late: a
waiter checks the newest id before it awaits the signal, in its loop, and the signal is handed
over only in that loop too, so an `advance` between the check and the await still wakes it.
"""

from __future__ import annotations

import asyncio
import threading


class _Signal:
    """One wake-up of one loop's waiters; `forced` when they must all return (the newest id
    may have moved unheard)."""

    __slots__ = ("event", "forced")

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.forced = False


class _LoopWaiters:
    __slots__ = ("count", "signal")

    def __init__(self) -> None:
        self.signal = _Signal()
        self.count = 0


class WakeupHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest = 0
        self._loops: dict[asyncio.AbstractEventLoop, _LoopWaiters] = {}

    @property
    def latest(self) -> int:
        return self._latest

    @property
    def has_waiters(self) -> bool:
        with self._lock:
            return bool(self._loops)

    def advance(self, latest_id: int) -> None:
        """The log holds `latest_id` (from any thread): wake the waiters below it."""
        with self._lock:
            if latest_id <= self._latest:
                return
            self._latest = latest_id
        self._wake(forced=False)

    def wake_all(self) -> None:
        """Wake every waiter, whatever its id (from any thread)."""
        self._wake(forced=True)

    async def wait(self, after_id: int, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with self._lock:
            waiters = self._loops.setdefault(loop, _LoopWaiters())
            waiters.count += 1
        try:
            while self._latest <= after_id:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return
                signal = waiters.signal
                try:
                    async with asyncio.timeout(remaining):
                        await signal.event.wait()
                except TimeoutError:
                    return
                if signal.forced:
                    return
        finally:
            with self._lock:
                waiters.count -= 1
                if not waiters.count and self._loops.get(loop) is waiters:
                    del self._loops[loop]

    def _wake(self, *, forced: bool) -> None:
        with self._lock:
            loops = list(self._loops)
        for loop in loops:
            try:
                loop.call_soon_threadsafe(self._fire, loop, forced)
            except RuntimeError:  # the loop is closed: its waiters are gone with it
                with self._lock:
                    self._loops.pop(loop, None)

    def _fire(self, loop: asyncio.AbstractEventLoop, forced: bool) -> None:
        """In `loop`: hand its waiters' signal over and set it; later waits get a fresh one."""
        with self._lock:
            waiters = self._loops.get(loop)
            if waiters is None:
                return
            signal, waiters.signal = waiters.signal, _Signal()
        signal.forced = forced
        signal.event.set()
