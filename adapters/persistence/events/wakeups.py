"""The `EventWakeups` port: a waiting stream learns that the event log may have grown.

Every waiter of a process shares one source, running in one daemon thread started by the first
`wait` (a process that never streams, a worker, starts none), which feeds a `WakeupHub`
(``hub.py``: how the thread wakes the streams' asyncio loops):

- `PostgresEventWakeups`: one connection per process ``LISTEN``s on the outbox's channel
  (``outbox.py`` sends ``NOTIFY`` in the transaction that writes events, so PostgreSQL delivers it
  at that commit, from any process or machine). The payload is the commit's highest id, so a
  waiter that already has it sleeps on. The connection is watched (TCP keepalives, a ping when
  quiet); when it is lost, every waiter is woken, waits are cut to `fallback_interval` (a slow
  poll by the streams themselves, since notifications may be missed) until it is back, and the
  reconnection wakes every waiter once more.
- `PollingEventWakeups`: the embedded default (SQLite has no notifications): the newest id is
  read every `interval` seconds (0.5) while anyone waits, one query for all the waiters.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg2
import psycopg2.extensions
from django.db import connections

from adapters.persistence.events.hub import WakeupHub
from adapters.persistence.events.log import DjangoEventLog
from adapters.persistence.events.outbox import CHANNEL
from application.ports.event_log import EventWakeups

logger = logging.getLogger(__name__)

POLL_INTERVAL_SECONDS = 0.5
FALLBACK_INTERVAL_SECONDS = 2.0
#: How the listening connection shows in ``pg_stat_activity``.
APPLICATION_NAME = "f-brain event wakeups"


class _BackgroundSource:
    """One daemon thread feeding a `WakeupHub`, started by the first wait of this process (a
    forked child starts its own: threads do not survive a fork)."""

    name = "event-wakeups"

    def __init__(self) -> None:
        self._hub = WakeupHub()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._start_lock = threading.Lock()

    def _ensure_running(self) -> None:
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            if self._pid != os.getpid():
                self._hub = WakeupHub()
            self._stop = threading.Event()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop the thread (tests; a process that ends needs nothing: it is a daemon)."""
        self._stop.set()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout=10)
        self._thread = None

    def _run(self) -> None:
        raise NotImplementedError


class PollingEventWakeups(_BackgroundSource):
    """`latest_id` is read every `interval` seconds while anyone waits (SQLite)."""

    name = "event-wakeups-poll"

    def __init__(
        self,
        latest_id: Callable[[], int],
        *,
        interval: float = POLL_INTERVAL_SECONDS,
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._latest_id = latest_id
        self._interval = interval
        self._on_exit = on_exit

    async def wait(self, after_id: int, timeout: float) -> None:
        self._ensure_running()
        await self._hub.wait(after_id, timeout)

    def _run(self) -> None:
        hub, stop = self._hub, self._stop
        failing = False
        try:
            while not stop.is_set():
                if hub.has_waiters:
                    try:
                        hub.advance(self._latest_id())
                    except Exception as error:  # the storage is down: let the streams see it
                        if not failing:
                            logger.warning("Event wake-ups cannot read the event log: %s", error)
                        failing = True
                        hub.wake_all()
                        stop.wait(FALLBACK_INTERVAL_SECONDS)
                        continue
                    if failing:
                        logger.info("Event wake-ups read the event log again")
                        failing = False
                stop.wait(self._interval)
        finally:
            if self._on_exit is not None:
                self._on_exit()


class PostgresEventWakeups(_BackgroundSource):
    """``LISTEN`` on one connection, made by `connect` (autocommit is set here)."""

    name = "event-wakeups-listen"

    def __init__(
        self,
        connect: Callable[[], psycopg2.extensions.connection],
        *,
        channel: str = CHANNEL,
        fallback_interval: float = FALLBACK_INTERVAL_SECONDS,
        ping_interval: float = 30.0,
        reconnect_pause: float = 0.5,
    ) -> None:
        super().__init__()
        self._connect = connect
        self._channel = channel
        self._fallback_interval = fallback_interval
        self._ping_interval = ping_interval
        self._reconnect_pause = reconnect_pause
        self._listening = False

    @property
    def listening(self) -> bool:
        """Whether notifications are heard now (tests, diagnostics)."""
        return self._listening

    async def wait(self, after_id: int, timeout: float) -> None:
        self._ensure_running()
        if not self._listening:  # notifications may be missed: the streams poll, slowly
            timeout = min(timeout, self._fallback_interval)
        await self._hub.wait(after_id, timeout)

    def _run(self) -> None:
        hub, stop = self._hub, self._stop
        lost_since: float | None = None
        while not stop.is_set():
            try:
                connection = self._connect()
            except psycopg2.Error as error:
                if lost_since is None:
                    lost_since = time.monotonic()
                    logger.warning("Event wake-ups cannot listen: %s", str(error).strip())
                stop.wait(self._fallback_interval)
                continue
            try:
                connection.autocommit = True
                with connection.cursor() as cursor:
                    cursor.execute(f'LISTEN "{self._channel}"')
                    # After LISTEN: whatever committed before it is counted here, anything after
                    # it is notified.
                    cursor.execute(
                        "SELECT GREATEST(COALESCE(MAX(e.id), 0), "
                        "COALESCE((SELECT h.purged_through FROM weather_event_horizon h "
                        "WHERE h.id = 1), 0)) FROM weather_event e"
                    )
                    row = cursor.fetchone()
                self._listening = True
                if lost_since is not None:
                    logger.info(
                        "Event wake-ups listen again after %.1f s", time.monotonic() - lost_since
                    )
                    lost_since = None
                hub.advance(int(row[0]) if row else 0)
                hub.wake_all()  # what was committed while nobody listened
                self._listen(connection)
            except (psycopg2.Error, OSError) as error:
                if lost_since is None:
                    lost_since = time.monotonic()
                    logger.warning("Event wake-ups lost their connection: %s", str(error).strip())
            finally:
                self._listening = False
                hub.wake_all()
                connection.close()
            stop.wait(self._reconnect_pause)

    def _listen(self, connection: psycopg2.extensions.connection) -> None:
        hub, stop = self._hub, self._stop
        quiet_since = time.monotonic()
        while not stop.is_set():
            readable, _, _ = select.select([connection], [], [], 1.0)
            if not readable:
                if time.monotonic() - quiet_since > self._ping_interval:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT 1")
                    quiet_since = time.monotonic()
                continue
            quiet_since = time.monotonic()
            connection.poll()
            highest, unreadable = 0, False
            while connection.notifies:
                notice = connection.notifies.pop(0)
                try:
                    highest = max(highest, int(notice.payload))
                except ValueError:
                    unreadable = True
            if unreadable:
                hub.wake_all()
            if highest:
                hub.advance(highest)


def postgres_connector(using: str) -> Callable[[], psycopg2.extensions.connection]:
    """Connections to the database of alias `using`, made as Django makes them, with keepalives
    so that a server gone silent is noticed within a minute."""

    def connect() -> psycopg2.extensions.connection:
        params: dict[str, Any] = dict(connections[using].get_connection_params())
        params.pop("cursor_factory", None)
        params.setdefault("connect_timeout", 3)
        params.update(
            application_name=APPLICATION_NAME,
            keepalives=1,
            keepalives_idle=20,
            keepalives_interval=5,
            keepalives_count=3,
        )
        connection: psycopg2.extensions.connection = psycopg2.connect(**params)
        return connection

    return connect


def event_wakeups_for(using: str = "default") -> EventWakeups:
    """The wake-ups that suit the database of alias `using`."""
    if connections[using].vendor == "postgresql":
        return PostgresEventWakeups(postgres_connector(using))
    return PollingEventWakeups(
        DjangoEventLog(using).latest_id, on_exit=lambda: connections[using].close()
    )
