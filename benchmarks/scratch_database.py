"""A throw-away PostgreSQL database for a benchmark, with Django set up on it and migrated, and
the helpers that fill it with years of history quickly.

The server is the one BENCH_POSTGRES_URL names (default: the local PostgreSQL, as on the
development machines and CI); the database is created fresh and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _admin(server_url: str, statement: sql.Composable) -> None:
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextlib.contextmanager
def scratch_postgres(name: str) -> Iterator[str]:
    """Create the empty database `name` on BENCH_POSTGRES_URL's server and yield its URL; drop it
    on the way out (its connections first), whatever happened."""
    server_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER_URL)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    _admin(server_url, drop)
    _admin(server_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        _admin(server_url, drop)


@contextlib.contextmanager
def django_on_scratch_postgres(name: str) -> Iterator[str]:
    """Create database `name`, point Django at it, migrate; drop it on the way out."""
    with scratch_postgres(name) as database_url:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="server_config.settings",
            DJANGO_SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop",  # noqa: S106
            DATABASE_URL=database_url,
            LOG_LEVEL="WARNING",
        )
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", verbosity=0)
        try:
            yield database_url
        finally:
            connections.close_all()


def register_locations(
    count: int, *, offset: int = 0, zones: Sequence[str] = ("UTC",)
) -> list[Any]:
    """`count` locations stored through the repository (names ``Bench {offset + i}``)."""
    from datetime import UTC, datetime

    from adapters.persistence.unit_of_work import DjangoUnitOfWork
    from domain.locations import Coordinates, Location

    locations = [
        Location.register(
            name=f"Bench {i}",
            coordinates=Coordinates(round(-80 + i * 0.0013, 4), round(-170 + i * 0.0017, 4)),
            timezone=zones[i % len(zones)],
            now=datetime(2025, 1, 1, tzinfo=UTC),
        )
        for i in range(offset, offset + count)
    ]
    with DjangoUnitOfWork() as uow:
        for location in locations:
            uow.locations.add(location)
        uow.commit()
    return locations


def seed_hourly_history(location_ids: Sequence[object], start: datetime, hours: int) -> float:
    """Hourly readings of `location_ids` from `start`, by INSERT … SELECT generate_series, hour by
    hour as refreshes write them (so a location's readings lie on as many heap pages as there are
    hours), into monthly partitions made first where the table is partitioned; the seconds taken.

    Vacuumed and analysed afterwards, as autovacuum leaves months that no longer change. The
    foreign-key triggers are skipped for the seed (``session_replication_role``; the ids are
    those of stored locations): the seed is set-up, not the ingest being measured.
    """
    import time

    from django.db import connection

    from adapters.persistence import history_partitions
    from adapters.persistence.history_partitions import Month

    began = time.perf_counter()
    end = start + timedelta(hours=hours)
    with connection.cursor() as cursor:
        if history_partitions.is_partitioned(connection):
            existing = {p.start for p in history_partitions.partitions(connection)}
            last = Month.of(end - timedelta(microseconds=1))
            for month in history_partitions.months_between(Month.of(start), last):
                if month.start not in existing:
                    history_partitions.create_month(cursor, month)
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            """
            INSERT INTO weather_observation
                (location_id, observed_at, provider, fetched_at, temperature, relative_humidity,
                 pressure, wind_speed, wind_direction, precipitation, cloud_cover, weather_code,
                 is_day)
            SELECT l.id, %s + make_interval(hours => h), 'open-meteo',
                   %s + make_interval(hours => h, mins => 5),
                   10 + 15 * sin(h / 24.0), 50 + (h %% 50), 1000 + (h %% 30), h %% 60,
                   h %% 360, (h %% 5) / 10.0, h %% 100, h %% 4, h %% 24 > 6
            FROM generate_series(0, %s - 1) AS h,
                 LATERAL (SELECT id FROM unnest(%s::uuid[]) AS id WHERE h >= 0) AS l
            """,
            [start, start, hours, [str(i) for i in location_ids]],
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        # As autovacuum leaves months that no longer change: statistics, and the visibility map
        # that lets the daily summaries read the covering key alone.
        cursor.execute("VACUUM (ANALYZE) weather_observation")
    return time.perf_counter() - began


def history_size() -> tuple[int, int, int]:
    """(rows, heap bytes, total bytes with indexes and TOAST) of ``weather_observation``, over
    every partition (a partitioned table itself holds nothing)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM weather_observation")
        (rows,) = cursor.fetchone()
        cursor.execute(
            "SELECT coalesce(sum(pg_table_size(relid)), 0), "
            "coalesce(sum(pg_total_relation_size(relid)), 0) "
            "FROM pg_partition_tree('weather_observation')"
        )
        heap, total = cursor.fetchone()
    return int(rows), int(heap), int(total)
