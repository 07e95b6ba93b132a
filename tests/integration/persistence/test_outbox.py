"""The outbox writes a commit's events in its transaction, and their ids follow commit order.

A rolled-back change leaves no event row, and a change whose events cannot be written is not
committed either: change and events are one transaction. Then the hazard the outbox exists to
avoid, with real threads and connections: a first writer has written its events but not yet
committed when a second one commits. With a plain auto-increment the second's id is visible
first, a reader polling "after the highest id seen" moves past the first's id and never reads
it (the control test shows it happens); the outbox makes the second writer wait for the first
(PostgreSQL: an advisory lock held to the end of the transaction; SQLite: every transaction
holds the write lock from ``BEGIN IMMEDIATE`` on), so the reader misses nothing.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.db import connections, transaction

from adapters.persistence import models
from adapters.persistence.events.log import DjangoEventLog
from adapters.persistence.events.outbox import Outbox
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.events import Event, LocationCreated
from domain.locations import Coordinates, Location
from tests.conftest import required_service_url
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import a_location

_places = itertools.count(1)
FIRST_WRITER = "first-writer"


def a_place() -> Location:
    n = next(_places)
    return a_location(name=f"Place {n}", coordinates=Coordinates(n % 89, n % 179))


def event_id_of(alias: str, location: Location) -> int:
    """The id of the one event logged about `location`."""
    rows = [
        row.id
        for row in models.OutboxEvent.objects.using(alias)
        if str(location.id) in row.location_ids
    ]
    assert len(rows) == 1, rows
    return rows[0]


def register(alias: str, location: Location) -> None:
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.record(LocationCreated(location.id))
        uow.commit()


class Crash(Exception):
    pass


# --- one transaction: the change and its events ---------------------------------------------------


@pytest.mark.django_db(databases=DATABASES)
def test_a_unit_committed_inside_a_transaction_that_rolls_back_leaves_no_event(
    alias: str,
) -> None:
    location = a_place()

    def commit_then_crash() -> None:
        with transaction.atomic(using=alias):
            register(alias, location)
            assert models.OutboxEvent.objects.using(alias).count() == 1  # written, in it
            raise Crash

    with pytest.raises(Crash):
        commit_then_crash()

    assert models.OutboxEvent.objects.using(alias).count() == 0
    assert not models.Location.objects.using(alias).filter(pk=location.id).exists()


@pytest.mark.django_db(databases=DATABASES)
def test_a_change_whose_events_cannot_be_written_is_not_committed(
    alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = a_place()
    write = Outbox.write

    def failing(outbox: Outbox, events: list[Event]) -> None:
        write(outbox, events)
        raise Crash  # as a failed insert or a lost connection would, before the commit

    monkeypatch.setattr(Outbox, "write", failing)

    with pytest.raises(Crash):
        register(alias, location)

    assert models.OutboxEvent.objects.using(alias).count() == 0
    assert not models.Location.objects.using(alias).filter(pk=location.id).exists()


# --- ids in commit order, under two concurrent writers --------------------------------------------


class PollingReader:
    """A stream's way of reading: everything after the highest id it has seen."""

    def __init__(self, alias: str) -> None:
        self.log = DjangoEventLog(alias)
        self.seen: list[int] = []

    def poll(self) -> None:
        self.seen += [event.id for event in self.log.after(max(self.seen, default=0), limit=100)]


class Writers:
    """Writers in threads of their own (a connection each); the first one, once it has written
    its events, holds its commit until `release()`."""

    def __init__(self, alias: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.alias = alias
        self.first_has_written = threading.Event()
        self._release = threading.Event()
        self.errors: list[BaseException] = []
        self._threads: list[threading.Thread] = []
        write = Outbox.write

        def holding(outbox: Outbox, events: list[Event]) -> None:
            write(outbox, events)
            if threading.current_thread().name == FIRST_WRITER:
                self.first_has_written.set()
                self._release.wait(timeout=30)

        monkeypatch.setattr(Outbox, "write", holding)

    def start(self, location: Location, *, name: str = "writer") -> threading.Thread:
        def run() -> None:
            try:
                register(self.alias, location)
            except BaseException as error:  # reported by the test's thread
                self.errors.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def release(self) -> None:
        self._release.set()

    def join(self) -> None:
        self.release()
        for thread in self._threads:
            thread.join(timeout=30)
        assert self.errors == []


@pytest.fixture
def database() -> str:
    """PostgreSQL (skipped, or failed in CI, without TEST_DATABASE_URL)."""
    required_service_url("TEST_DATABASE_URL")
    return "postgres"


@pytest.fixture
def writers(database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Writers]:
    made = Writers(database, monkeypatch)
    yield made
    made.release()


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def waiting_for_an_advisory_lock(alias: str) -> int:
    """How many sessions of this database wait for an advisory lock now."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()"
        )
        (count,) = cursor.fetchone()
    return int(count)


@pytest.mark.django_db(databases=DATABASES, transaction=True)  # real commits, by other threads
def test_on_postgresql_a_second_writer_waits_for_the_first_so_no_reader_skips_an_id(
    database: str, writers: Writers
) -> None:
    first, second = a_place(), a_place()
    reader = PollingReader(database)

    writers.start(first, name=FIRST_WRITER)
    assert writers.first_has_written.wait(timeout=10)
    second_writer = writers.start(second)

    # The second writer has done all its work and waits for its turn at the outbox...
    assert eventually(lambda: waiting_for_an_advisory_lock(database) == 1)
    second_writer.join(timeout=0.5)
    assert second_writer.is_alive()
    reader.poll()
    assert reader.seen == []  # ...with nothing committed, so nothing read past
    writers.join()
    reader.poll()

    assert event_id_of(database, second) > event_id_of(database, first)
    assert reader.seen == [event_id_of(database, first), event_id_of(database, second)]


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_postgresql_without_the_outbox_lock_a_reader_skips_the_slower_writers_id(
    database: str, writers: Writers, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: the same two writers with a plain auto-increment (no turn taken). The test
    above would fail the same way if the outbox stopped serialising its writers."""
    monkeypatch.setattr(Outbox, "_take_turn", lambda outbox: None)
    first, second = a_place(), a_place()
    reader = PollingReader(database)

    writers.start(first, name=FIRST_WRITER)
    assert writers.first_has_written.wait(timeout=10)
    writers.start(second).join(timeout=10)
    reader.poll()  # sees the second writer's event...
    writers.join()
    reader.poll()  # ...and then nothing below it: the first writer's event is lost to it

    assert event_id_of(database, first) < event_id_of(database, second)
    assert reader.seen == [event_id_of(database, second)]


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_on_sqlite_a_second_writer_cannot_start_until_the_first_has_committed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alias = "default"
    writers = Writers(alias, monkeypatch)
    first, second = a_place(), a_place()
    reader = PollingReader(alias)
    try:
        writers.start(first, name=FIRST_WRITER)
        assert writers.first_has_written.wait(timeout=10)
        second_writer = writers.start(second)

        second_writer.join(timeout=0.5)
        assert second_writer.is_alive()  # BEGIN IMMEDIATE waits for the first's write lock
        assert not models.Location.objects.using(alias).filter(pk=second.id).exists()
        reader.poll()
        assert reader.seen == []
    finally:
        writers.join()
    reader.poll()

    assert event_id_of(alias, second) > event_id_of(alias, first)
    assert reader.seen == [event_id_of(alias, first), event_id_of(alias, second)]


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_many_concurrent_writers_leave_ids_that_a_polling_reader_reads_whole(
    alias: str,
) -> None:
    """Eight writers at once, a reader polling all along: it reads every id, each once."""
    places = [a_place() for _ in range(8)]
    reader = PollingReader(alias)
    barrier = threading.Barrier(len(places))
    errors: list[BaseException] = []

    def run(location: Location) -> None:
        try:
            barrier.wait(timeout=10)
            register(alias, location)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(place,), daemon=True) for place in places]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        reader.poll()
    for thread in threads:
        thread.join(timeout=30)
    reader.poll()

    assert errors == []
    logged = sorted(models.OutboxEvent.objects.using(alias).values_list("id", flat=True))
    assert len(logged) == len(places)
    assert reader.seen == logged
    assert {
        uuid.UUID(i) for row in models.OutboxEvent.objects.using(alias) for i in row.location_ids
    } == {place.id for place in places}
