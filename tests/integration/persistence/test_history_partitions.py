"""The observations' monthly partitions on PostgreSQL (docs/decisions/0022): the migration that
converts a populated table (and back) without losing a row, an id or a constraint; the partitions
created ahead, and readings that reached the DEFAULT partition moved into a month of their own;
the retention purge dropping whole months; and the repository's queries still on the key's index,
in the partitions they need only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from adapters.persistence import history_partitions
from adapters.persistence.history_partitions import DEFAULT_PARTITION, Month
from adapters.persistence.history_retention import DjangoHistoryStorage
from adapters.persistence.repositories import DjangoObservationRepository
from adapters.persistence.session import Session
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.pagination import PageRequest
from domain.locations import Coordinates
from domain.observations import Observation
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import a_location, an_observation, locations_along_the_equator

ALIAS = "postgres"
BEFORE = [("weather", "0007_translated_admin_labels")]
AFTER = [("weather", "0008_partition_observations")]
JANUARY = datetime(2025, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.django_db(databases=DATABASES)


@pytest.fixture(autouse=True)
def _postgres(postgres_url: str) -> None:
    """PostgreSQL only (skipped without TEST_DATABASE_URL, failed in CI)."""


def migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connections[ALIAS]).migrate(targets)


@pytest.fixture
def unpartitioned() -> Iterator[None]:
    """The test database at 0007 (one plain table); at the latest migrations afterwards."""
    migrate(BEFORE)
    try:
        yield
    finally:
        executor = MigrationExecutor(connections[ALIAS])
        executor.migrate(executor.loader.graph.leaf_nodes())


def store(readings: list[Observation], *locations: object) -> None:
    with DjangoUnitOfWork(ALIAS) as uow:
        for location in locations:
            uow.locations.add(location)  # type: ignore[arg-type]
        uow.observations.add_many(readings)
        uow.commit()


def rows() -> list[tuple[Any, ...]]:
    """Every row, every column (id, location and instant first), in id order."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT id, location_id, observed_at, * FROM weather_observation ORDER BY id"
        )
        return list(cursor.fetchall())


def partition_of(observation_id: int) -> str:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM weather_observation WHERE id = %s",
            [observation_id],
        )
        return str(cursor.fetchone()[0])


def key_definition() -> str:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conname = 'weather_observation_key'"
        )
        return str(cursor.fetchone()[0])


def hourly(location_id: uuid.UUID, start: datetime, hours: int) -> list[Observation]:
    return [
        an_observation(location_id, observed_at=start + timedelta(hours=h), temperature=float(h))
        for h in range(hours)
    ]


@pytest.mark.django_db(databases=DATABASES, transaction=True)
def test_the_migration_partitions_a_populated_table_and_back_keeping_every_row(
    unpartitioned: None,
) -> None:
    here, there = a_location(), a_location(name="Oslo", coordinates=Coordinates(59.91, 10.75))
    old = [
        *hourly(here.id, datetime(2024, 2, 29, 22, tzinfo=UTC), 4),  # across a month's end
        *hourly(there.id, JANUARY - timedelta(hours=1), 3),  # across a year's end
        an_observation(here.id, observed_at=datetime(2019, 6, 1, tzinfo=UTC), provider="met"),
    ]
    store(old, here, there)
    with connections[ALIAS].cursor() as cursor:  # an id burnt: ids are never reused
        cursor.execute("SELECT nextval(pg_get_serial_sequence('weather_observation', 'id'))")
        (burnt,) = cursor.fetchone()
    before = rows()
    assert not history_partitions.is_partitioned(connections[ALIAS])

    migrate(AFTER)

    connection = connections[ALIAS]
    assert history_partitions.is_partitioned(connection)
    assert rows() == before  # every row, with its id and every value
    # The key covers what the daily summaries read, for index-only scans.
    assert key_definition() == (
        "UNIQUE (location_id, observed_at, provider) INCLUDE (id, temperature, precipitation)"
    )
    months = [p.name for p in history_partitions.partitions(connection)]
    assert {
        "weather_observation_y2019m06",
        "weather_observation_y2024m02",
        "weather_observation_y2024m03",
        "weather_observation_y2024m12",
        "weather_observation_y2025m01",
        Month.of(datetime.now(UTC)).plus(3).name,
    } <= set(months)
    assert months[-1] == DEFAULT_PARTITION
    by_instant = {row[2]: row[0] for row in before if str(row[1]) == str(here.id)}
    assert partition_of(by_instant[datetime(2024, 3, 1, 0, tzinfo=UTC)]) == (
        "weather_observation_y2024m03"
    )
    assert partition_of(by_instant[datetime(2024, 2, 29, 23, tzinfo=UTC)]) == (
        "weather_observation_y2024m02"
    )

    # New readings: a fresh id above every old one (and the burnt one), in their month.
    store([an_observation(there.id, observed_at=datetime(2024, 12, 5, tzinfo=UTC))])
    (new_id,) = {row[0] for row in rows()} - {row[0] for row in before}
    assert new_id > burnt
    assert partition_of(new_id) == "weather_observation_y2024m12"
    # The key, the checks and the foreign key still hold.
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        connection.cursor().execute(
            "INSERT INTO weather_observation (location_id, observed_at, provider, fetched_at) "
            "SELECT location_id, observed_at, provider, fetched_at FROM weather_observation "
            "WHERE id = %s",
            [new_id],
        )
    with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
        connection.cursor().execute(
            "UPDATE weather_observation SET relative_humidity = 101 WHERE id = %s", [new_id]
        )
    with transaction.atomic(using=ALIAS):
        connection.cursor().execute(
            "INSERT INTO weather_observation (location_id, observed_at, provider, fetched_at) "
            "VALUES (%s, now(), 'x', now())",
            [uuid.uuid4()],
        )
        with pytest.raises(IntegrityError):  # the foreign key's check, deferred to here
            connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True, using=ALIAS)
    after = rows()

    migrate(BEFORE)

    assert not history_partitions.is_partitioned(connection)
    assert rows() == after
    assert key_definition() == "UNIQUE (location_id, observed_at, provider)"
    store([an_observation(there.id, observed_at=datetime(2030, 1, 1, tzinfo=UTC))])
    assert max(row[0] for row in rows()) > new_id


def test_partitions_are_made_ahead_and_readings_in_the_default_partition_get_their_month() -> None:
    connection = connections[ALIAS]
    location = a_location()
    now = datetime.now(UTC)
    far = Month.of(now).plus(7)
    stray = [
        an_observation(location.id, observed_at=far.start + timedelta(days=2)),
        an_observation(location.id, observed_at=datetime(2001, 5, 31, 23, tzinfo=UTC)),
    ]
    store(stray, location)
    assert {partition_of(row[0]) for row in rows()} == {DEFAULT_PARTITION}
    before = rows()

    created = history_partitions.ensure_partitions(connection, far.start)

    assert created == [
        "weather_observation_y2001m05",
        *(far.plus(n).name for n in range(4)),
    ]
    assert rows() == before  # moved, ids and all
    assert sorted(partition_of(row[0]) for row in rows()) == [
        "weather_observation_y2001m05",
        far.name,
    ]
    assert history_partitions.ensure_partitions(connection, far.start) == []  # idempotent
    # The storage port does the same, through the daily task.
    assert DjangoHistoryStorage(ALIAS).prepare(far.plus(1).start) == [far.plus(4).name]


def test_the_purge_drops_whole_months_and_deletes_the_rest_of_the_horizons_month() -> None:
    connection = connections[ALIAS]
    location = a_location()
    readings = [
        an_observation(location.id, observed_at=datetime(2024, month, 10, tzinfo=UTC))
        for month in (1, 2, 3, 4)
    ] + [an_observation(location.id, observed_at=datetime(2024, 3, 20, tzinfo=UTC))]
    store(readings, location)  # in the DEFAULT partition: give them months first
    history_partitions.ensure_partitions(connection, datetime.now(UTC))
    horizon = datetime(2024, 3, 15, tzinfo=UTC)

    purged = DjangoHistoryStorage(ALIAS).purge_older_than(horizon)

    # (and any month left empty before them by the tests before)
    assert {"weather_observation_y2024m01", "weather_observation_y2024m02"} <= set(
        purged.spans_dropped
    )
    assert "weather_observation_y2024m03" not in purged.spans_dropped
    assert purged.rows_deleted == 1  # March 10th, from the horizon's month
    names = {p.name for p in history_partitions.partitions(connection)}
    assert "weather_observation_y2024m02" not in names
    assert {"weather_observation_y2024m03", "weather_observation_y2024m04"} <= names
    assert sorted(row[2] for row in rows()) == [
        datetime(2024, 3, 20, tzinfo=UTC),
        datetime(2024, 4, 10, tzinfo=UTC),
    ]


def test_the_queries_use_the_key_index_in_the_partitions_they_need() -> None:
    connection = connections[ALIAS]
    locations = locations_along_the_equator(20)
    with DjangoUnitOfWork(ALIAS) as uow:
        for location in locations:
            uow.locations.add(location)
        uow.commit()
    start = datetime(2025, 3, 1, tzinfo=UTC)
    with connection.cursor() as cursor:  # three months, hour by hour, as refreshes write them
        cursor.execute(
            "INSERT INTO weather_observation (location_id, observed_at, provider, fetched_at, "
            "temperature, precipitation) SELECT l.id, %s + make_interval(hours => h), "
            "'open-meteo', %s + make_interval(hours => h), h %% 30, 0.1 "
            "FROM generate_series(0, 92 * 24 - 1) AS h CROSS JOIN weather_location l",
            [start, start],
        )
    history_partitions.ensure_partitions(connection, datetime.now(UTC))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE weather_observation")
    repository = DjangoObservationRepository(Session(ALIAS))
    location = locations[7]
    day = datetime(2025, 4, 10, tzinfo=UTC)

    def plan(query: object) -> str:
        with CaptureQueriesContext(connection) as captured:
            query()  # type: ignore[operator]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (COSTS OFF) " + captured.captured_queries[-1]["sql"])
            return "\n".join(row[0] for row in cursor.fetchall())

    latest = plan(lambda: repository.latest(location.id))
    one_day = plan(lambda: repository.history(location.id, day, day + timedelta(1), PageRequest()))
    thirty_days = plan(
        lambda: repository.daily_summaries(location.id, "UTC", day, day + timedelta(30))
    )

    for text in (latest, one_day, thirty_days):
        assert "Seq Scan" not in text, text
        assert "_location_id_observed_at_" in text, text  # the key's index, in each partition
    assert "Index Scan Backward" in latest, latest
    assert "weather_observation_y2025m04" in one_day
    assert "y2025m03" not in one_day
    assert "y2025m05" not in one_day
    assert DEFAULT_PARTITION not in one_day  # pruned at planning
    assert {"weather_observation_y2025m04", "weather_observation_y2025m05"} <= set(
        thirty_days.replace("\n", " ").split()
    )
    assert "y2025m03" not in thirty_days
    assert DEFAULT_PARTITION not in thirty_days
