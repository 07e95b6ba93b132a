"""Ingest: rows per second for storing 200,000 observations on PostgreSQL through the repository,
side by side with a raw COPY of the same rows in the same run.

Target (issue 4): the repository reaches at least 50% of COPY's rate.
"""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime, timedelta

from benchmarks.scratch_database import django_on_scratch_postgres

ROWS = 200_000
LOCATIONS = 100
BATCH = 10_000  # readings per unit of work, as a large refresh or a backfill chunk stores them
TARGET_RATIO = 0.5


def main() -> None:
    with django_on_scratch_postgres("f_brain_bench_ingest"):
        _run()


def _run() -> None:
    from django.db import connection

    from adapters.persistence import mappers
    from adapters.persistence.unit_of_work import DjangoUnitOfWork
    from domain.locations import Coordinates, Location
    from domain.observations import Observation

    start = datetime(2025, 1, 1, tzinfo=UTC)
    locations = [
        Location.register(name=f"Bench {i}", coordinates=Coordinates(i / 10, i / 10), now=start)
        for i in range(LOCATIONS)
    ]
    with DjangoUnitOfWork() as uow:
        for location in locations:
            uow.locations.add(location)
        uow.commit()
    hours = ROWS // LOCATIONS
    readings = [
        Observation(
            location_id=location.id,
            observed_at=start + timedelta(hours=hour),
            provider="open-meteo",
            fetched_at=start + timedelta(hours=hour, minutes=5),
            temperature=(hour % 40) - 10.0,
            relative_humidity=float(hour % 100),
            pressure=1000.0 + hour % 30,
            wind_speed=float(hour % 60),
            wind_direction=float(hour % 360),
            precipitation=(hour % 5) / 10,
            cloud_cover=float(hour % 100),
            weather_code=hour % 4,
            is_day=hour % 24 > 6,
        )
        for location in locations
        for hour in range(hours)
    ]

    began = time.perf_counter()
    for offset in range(0, len(readings), BATCH):
        with DjangoUnitOfWork() as uow:
            uow.observations.add_many(readings[offset : offset + BATCH])
            uow.commit()
    repository_seconds = time.perf_counter() - began

    columns = mappers.OBSERVATION_COLUMNS
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE weather_observation")
    began = time.perf_counter()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for reading in readings:
        writer.writerow([_csv_value(getattr(reading, column)) for column in columns])
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY weather_observation ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)",
            buffer,
        )
    copy_seconds = time.perf_counter() - began

    repository_rate = len(readings) / repository_seconds
    copy_rate = len(readings) / copy_seconds
    ratio = repository_rate / copy_rate
    print(f"rows:                  {len(readings):,} ({LOCATIONS} locations, batches of {BATCH:,})")
    print(f"repository add_many:   {repository_rate:,.0f} rows/s ({repository_seconds:.2f} s)")
    print(f"raw COPY:              {copy_rate:,.0f} rows/s ({copy_seconds:.2f} s)")
    print(f"ratio:                 {ratio:.0%}  (target >= {TARGET_RATIO:.0%})")


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return value
