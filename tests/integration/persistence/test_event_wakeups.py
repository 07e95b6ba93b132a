"""The wake-ups a waiting stream awaits: a commit that logged events, by any connection or process,
wakes it within 2 seconds (CONTRACT.md §4), a rollback does not, and one source per process
serves every stream, surviving the loss of its database.

- `WakeupHub`, which both sources feed: thread-safe wake-ups of asyncio waiters.
- `PollingEventWakeups` (SQLite): one read of the newest id per interval, for all the waiters.
- `PostgresEventWakeups`: ``LISTEN`` on one connection per process; ``NOTIFY`` is sent by the
  outbox in the writing transaction, so PostgreSQL delivers it at commit and never on rollback.

The tests that commit are transactional (real commits, seen by the sources' own connections).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import psycopg2
import pytest
from django.db import connections, transaction

from adapters.persistence.events.hub import WakeupHub
from adapters.persistence.events.log import DjangoEventLog
from adapters.persistence.events.outbox import CHANNEL
from adapters.persistence.events.wakeups import (
    APPLICATION_NAME,
    PollingEventWakeups,
    PostgresEventWakeups,
    event_wakeups_for,
    postgres_connector,
)
from server_config.container import container
from tests.conftest import required_service_url
from tests.integration.persistence.conftest import DATABASES
from tests.integration.persistence.test_outbox import Crash, a_place, eventually, register
from tests.support.processes import child_environment, run_manage

WAKEUPS_LOGGER = "adapters.persistence.events.wakeups"
DELIVERY_SECONDS = 2.0  # CONTRACT.md §4: open streams hear of a commit within 2 s
T = TypeVar("T")


def in_a_thread(action: Callable[[], T]) -> T:
    """`action`'s result, run in a thread of its own (a connection of its own) to its end."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(action())
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert errors == []
    (result,) = results
    return result


def roll_back_a_change_with_events(alias: str) -> None:
    """A unit of work that commits a change and its events (and, on PostgreSQL, its NOTIFY)
    inside a transaction that then rolls back."""
    with contextlib.suppress(Crash), transaction.atomic(using=alias):
        register(alias, a_place())
        raise Crash


async def woken_after(
    wakeups: PostgresEventWakeups | PollingEventWakeups,
    after_id: int,
    action: Callable[[], object],
    *,
    timeout: float = 10.0,
) -> float:
    """Seconds from the end of `action` (run in another thread) to the return of a `wait` that
    started before it; `timeout` when the wait was not woken."""
    waiter = asyncio.create_task(wakeups.wait(after_id, timeout))
    await asyncio.sleep(0.1)
    assert not waiter.done()
    await asyncio.to_thread(in_a_thread, action)
    done_at = time.monotonic()
    await waiter
    return time.monotonic() - done_at


# --- the hub: asyncio waiters, fed from any thread ------------------------------------------------


def test_a_waiter_below_the_newest_id_returns_at_once() -> None:
    hub = WakeupHub()
    hub.advance(7)

    async def waited() -> float:
        started = time.monotonic()
        await hub.wait(6, timeout=5)
        return time.monotonic() - started

    assert asyncio.run(waited()) < 0.1


def test_a_waiter_sleeps_to_its_timeout_when_nothing_newer_is_logged() -> None:
    hub = WakeupHub()
    hub.advance(7)

    async def waited() -> float:
        started = time.monotonic()
        waiter = asyncio.create_task(hub.wait(7, timeout=0.3))
        await asyncio.sleep(0.05)
        await asyncio.to_thread(hub.advance, 7)  # the same id again: nothing new
        await asyncio.to_thread(hub.advance, 5)  # an older one: nothing new
        await waiter
        return time.monotonic() - started

    assert 0.29 < asyncio.run(waited()) < 1.0
    assert not hub.has_waiters


def test_a_newer_id_from_another_thread_wakes_every_waiter_of_every_loop() -> None:
    hub = WakeupHub()
    returned: list[float] = []
    ready = [threading.Event(), threading.Event()]

    async def waiters(count: int, waiting: threading.Event) -> None:
        started = time.monotonic()
        tasks = [asyncio.create_task(hub.wait(3, timeout=10)) for _ in range(count)]
        await asyncio.sleep(0.05)  # every task is waiting now
        waiting.set()
        await asyncio.gather(*tasks)
        returned.append(time.monotonic() - started)

    loops = [
        threading.Thread(target=asyncio.run, args=(waiters(50, waiting),)) for waiting in ready
    ]
    for loop in loops:
        loop.start()
    assert all(waiting.wait(timeout=5) for waiting in ready)
    hub.advance(4)
    for loop in loops:
        loop.join(timeout=5)

    assert len(returned) == 2
    assert max(returned) < 2
    assert not hub.has_waiters


def test_wake_all_returns_every_waiter_whatever_its_id() -> None:
    hub = WakeupHub()

    async def waited() -> float:
        started = time.monotonic()
        waiter = asyncio.gather(hub.wait(100, timeout=10), hub.wait(0, timeout=10))
        await asyncio.sleep(0.05)
        await asyncio.to_thread(hub.wake_all)
        await waiter
        return time.monotonic() - started

    assert asyncio.run(waited()) < 1


# --- SQLite: a short shared poll of the outbox ----------------------------------------------------


@pytest.fixture
def polling() -> Iterator[PollingEventWakeups]:
    wakeups = event_wakeups_for("default")
    assert isinstance(wakeups, PollingEventWakeups)
    yield wakeups
    wakeups.close()


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_sqlite_a_commit_in_another_thread_wakes_a_waiter_within_the_poll_interval(
    polling: PollingEventWakeups,
) -> None:
    latest = DjangoEventLog("default").latest_id()

    delay = asyncio.run(woken_after(polling, latest, lambda: register("default", a_place())))

    assert delay < 1.0  # a 0.5 s poll; the contract's bound is 2 s


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_sqlite_a_rollback_wakes_nobody(polling: PollingEventWakeups) -> None:
    latest = DjangoEventLog("default").latest_id()

    delay = asyncio.run(
        woken_after(polling, latest, lambda: roll_back_a_change_with_events("default"), timeout=1.5)
    )

    assert delay > 1.0  # slept to its timeout


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_the_poll_reads_the_log_once_per_interval_for_all_waiters_of_a_process() -> None:
    reads: list[float] = []
    log = DjangoEventLog("default")

    def latest_id() -> int:
        reads.append(time.monotonic())
        return log.latest_id()

    wakeups = PollingEventWakeups(
        latest_id, interval=0.1, on_exit=lambda: connections["default"].close()
    )
    try:

        async def many() -> None:
            await asyncio.gather(*(wakeups.wait(10**9, timeout=1.0) for _ in range(500)))

        asyncio.run(many())
    finally:
        wakeups.close()

    assert 1 <= len(reads) <= 15  # about one read per 0.1 s, not one per waiter (500)


def test_a_poll_that_cannot_read_the_log_wakes_the_waiters_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failing = True

    def latest_id() -> int:
        if failing:
            raise ConnectionError("the database went away")
        return 42

    wakeups = PollingEventWakeups(latest_id, interval=0.05)
    try:
        with caplog.at_level(logging.INFO, logger=WAKEUPS_LOGGER):
            started = time.monotonic()
            asyncio.run(wakeups.wait(0, timeout=10))
            assert time.monotonic() - started < 1.0  # told early: the stream reads and sees
            asyncio.run(wakeups.wait(0, timeout=0.5))
            failing = False
            started = time.monotonic()
            asyncio.run(wakeups.wait(41, timeout=10))
            assert time.monotonic() - started < 5.0
    finally:
        wakeups.close()

    messages = [record.getMessage() for record in caplog.records if record.name == WAKEUPS_LOGGER]
    assert messages.count("Event wake-ups cannot read the event log: the database went away") == 1
    assert "Event wake-ups read the event log again" in messages


# --- PostgreSQL: LISTEN/NOTIFY, one connection per process ----------------------------------------


@pytest.fixture
def database() -> str:
    required_service_url("TEST_DATABASE_URL")
    return "postgres"


@pytest.fixture
def listening(database: str) -> Iterator[PostgresEventWakeups]:
    """The source production builds for this database, listening already."""
    wakeups = event_wakeups_for(database)
    assert isinstance(wakeups, PostgresEventWakeups)
    asyncio.run(wakeups.wait(10**9, timeout=0.01))  # the first wait starts it
    assert eventually(lambda: wakeups.listening)
    yield wakeups
    wakeups.close()


def test_the_container_gives_every_stream_of_a_process_the_same_source() -> None:
    assert container.event_wakeups() is container.event_wakeups()


def listeners(alias: str) -> list[int]:
    """The process ids of the sessions listening for wake-ups on this database."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = current_database()",
            [APPLICATION_NAME],
        )
        return [int(pid) for (pid,) in cursor.fetchall()]


def terminate(alias: str, pid: int) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_postgresql_a_commit_on_another_connection_wakes_a_waiter_within_2_seconds(
    database: str, listening: PostgresEventWakeups
) -> None:
    latest = DjangoEventLog(database).latest_id()

    delay = asyncio.run(woken_after(listening, latest, lambda: register(database, a_place())))

    assert delay < DELIVERY_SECONDS


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_postgresql_a_notify_from_another_process_wakes_a_waiter(
    database: str, listening: PostgresEventWakeups
) -> None:
    params = connections[database].get_connection_params()
    script = (
        "import json, psycopg2, sys\n"
        "connection = psycopg2.connect(**json.loads(sys.argv[1]))\n"
        "connection.autocommit = True\n"
        f"connection.cursor().execute(\"NOTIFY {CHANNEL}, '999999'\")\n"
    )
    keys = ("dbname", "database", "user", "password", "host", "port")
    arguments = json.dumps({key: value for key, value in params.items() if key in keys})

    def notify_from_another_process() -> None:
        subprocess.run([sys.executable, "-c", script, arguments], check=True, timeout=30)

    delay = asyncio.run(woken_after(listening, 999998, notify_from_another_process))

    assert delay < DELIVERY_SECONDS


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_postgresql_a_rollback_notifies_nobody(
    database: str, listening: PostgresEventWakeups
) -> None:
    latest = DjangoEventLog(database).latest_id()

    delay = asyncio.run(
        woken_after(
            listening, latest, lambda: roll_back_a_change_with_events(database), timeout=1.5
        )
    )

    assert delay > 1.0  # slept to its timeout
    assert listening.listening


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_postgresql_every_stream_of_a_process_shares_one_listening_connection(
    database: str, listening: PostgresEventWakeups
) -> None:
    latest = DjangoEventLog(database).latest_id()
    counted: list[int] = []

    async def streams() -> float:
        waiters = asyncio.gather(*(listening.wait(latest, timeout=10) for _ in range(1000)))
        await asyncio.sleep(0.2)
        counted.append(len(await asyncio.to_thread(in_a_thread, lambda: listeners(database))))
        await asyncio.to_thread(in_a_thread, lambda: register(database, a_place()))
        done_at = time.monotonic()
        await waiters
        return time.monotonic() - done_at

    delay = asyncio.run(streams())

    assert counted == [1]
    assert delay < DELIVERY_SECONDS


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_postgresql_a_lost_connection_wakes_the_waiters_logs_and_listens_again(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    wakeups = PostgresEventWakeups(postgres_connector(database), reconnect_pause=0.2)
    try:
        with caplog.at_level(logging.INFO, logger=WAKEUPS_LOGGER):
            asyncio.run(wakeups.wait(10**9, timeout=0.01))
            assert eventually(lambda: wakeups.listening)
            (first,) = listeners(database)

            async def cut_off() -> float:
                waiter = asyncio.create_task(wakeups.wait(10**9, timeout=30))
                await asyncio.sleep(0.1)
                await asyncio.to_thread(in_a_thread, lambda: terminate(database, first))
                cut_at = time.monotonic()
                await waiter
                return time.monotonic() - cut_at

            assert asyncio.run(cut_off()) < 3.0  # told: the stream reads the log and waits on
            assert eventually(lambda: wakeups.listening and listeners(database) != [first])
            latest = DjangoEventLog(database).latest_id()
            delay = asyncio.run(woken_after(wakeups, latest, lambda: register(database, a_place())))
    finally:
        wakeups.close()

    assert delay < DELIVERY_SECONDS
    messages = [record.getMessage() for record in caplog.records if record.name == WAKEUPS_LOGGER]
    assert any(message.startswith("Event wake-ups lost their connection") for message in messages)
    assert any(message.startswith("Event wake-ups listen again after") for message in messages)


def test_while_postgresql_cannot_be_reached_waits_are_cut_short_and_it_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def unreachable() -> psycopg2.extensions.connection:
        raise psycopg2.OperationalError("connection refused")

    wakeups = PostgresEventWakeups(unreachable, fallback_interval=0.2)
    try:
        with caplog.at_level(logging.INFO, logger=WAKEUPS_LOGGER):
            started = time.monotonic()
            for _ in range(3):
                asyncio.run(wakeups.wait(10**9, timeout=30))
            elapsed = time.monotonic() - started
    finally:
        wakeups.close()

    assert elapsed < 2.0  # each wait cut to the fallback interval: the streams poll, slowly
    assert not wakeups.listening
    messages = [record.getMessage() for record in caplog.records if record.name == WAKEUPS_LOGGER]
    assert messages == ["Event wake-ups cannot listen: connection refused"]


# --- from another process, on either database ----------------------------------------------------

REGISTER_AND_SAY_WHEN = (
    "import time\n"
    "from application.use_cases.register_location import RegisterLocationCommand\n"
    "from server_config.container import container\n"
    "command = RegisterLocationCommand(name='Cape Town', latitude=-33.92, longitude=18.42)\n"
    "container.register_location().execute(command)\n"
    "print(time.time())\n"
)


def database_url(alias: str) -> str:
    """The URL of the test database of `alias`, for a process of its own."""
    settings = connections[alias].settings_dict
    if connections[alias].vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST']}:{settings['PORT']}"
        f"/{settings['NAME']}"
    )


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_a_change_committed_by_another_process_wakes_a_waiter_within_2_seconds(
    alias: str, tmp_path: Path
) -> None:
    wakeups = event_wakeups_for(alias)
    assert isinstance(wakeups, PollingEventWakeups | PostgresEventWakeups)
    env = child_environment(tmp_path, DATABASE_URL=database_url(alias))
    try:
        asyncio.run(wakeups.wait(10**9, timeout=0.01))  # the first wait starts it
        if isinstance(wakeups, PostgresEventWakeups):
            assert eventually(lambda: wakeups.listening)
        latest = DjangoEventLog(alias).latest_id()
        woke: list[float] = []

        async def scenario() -> str:
            waiter = asyncio.create_task(wakeups.wait(latest, timeout=60))
            waiter.add_done_callback(lambda _: woke.append(time.time()))
            done = await asyncio.to_thread(
                run_manage, env, "shell", "-c", REGISTER_AND_SAY_WHEN, timeout=60
            )
            assert done.returncode == 0, done.stderr
            await waiter
            return done.stdout

        committed_at = float(asyncio.run(scenario()).split()[-1])
    finally:
        wakeups.close()

    (event,) = DjangoEventLog(alias).after(latest, limit=10)
    assert event.type == "location.created"
    assert woke[0] - committed_at < DELIVERY_SECONDS
