"""Ingest as history grows: rows per second for storing 200,000 observations (1,000 locations x
200 hours of the current month) on PostgreSQL through the repository, in units of work of 10,000
readings as a large refresh or a backfill chunk stores them:

1. into an empty table, side by side with a raw COPY of the same rows (issue 4: the repository
   at >= 50% of COPY's rate);
2. the same readings again into a table already holding 8,760,000 rows (1,000 locations x the
   twelve months before), seeded by generate_series (issue 16: within 25% of the rate into the
   empty table, i.e. a ratio >= 75%; the empty table is measured again afterwards and the
   ratio taken to the mean of both, so that the machine's load drifting does not decide it).
   Monthly partitions keep the month being written, and its indexes, small whatever the
   history behind it.

Set BENCH_INGEST_SMALL=1 to seed a tenth of the history while developing.
"""

from __future__ import annotations

import csv
import io
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.scratch_database import (
    django_on_scratch_postgres,
    history_size,
    register_locations,
    seed_hourly_history,
)

LOCATIONS = 1000
HOURS = 200
BATCH = 10_000  # readings per unit of work, as a large refresh or a backfill chunk stores them
HISTORY_HOURS = (365 * 24) // (10 if os.environ.get("BENCH_INGEST_SMALL") else 1)
TARGET_COPY_RATIO = 0.5
TARGET_GROWTH_RATIO = 0.75


def main() -> None:
    with django_on_scratch_postgres("f_brain_bench_ingest"):
        _run()


def _readings(locations: list[Any], start: datetime) -> list[Any]:
    from domain.observations import Observation

    return [
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
        for hour in range(HOURS)  # hour by hour for every location, as refreshes store them
        for location in locations
    ]


def _ingest(readings: list[Any]) -> float:
    """Seconds to store `readings` through the repository, `BATCH` per unit of work."""
    from adapters.persistence.unit_of_work import DjangoUnitOfWork

    began = time.perf_counter()
    for offset in range(0, len(readings), BATCH):
        with DjangoUnitOfWork() as uow:
            uow.observations.add_many(readings[offset : offset + BATCH])
            uow.commit()
    return time.perf_counter() - began


def _run() -> None:
    from django.db import connection

    from adapters.persistence import mappers
    from adapters.persistence.history_partitions import Month

    this_month = Month.of(datetime.now(UTC))
    start = this_month.start
    locations = register_locations(LOCATIONS)
    readings = _readings(locations, start)
    print(
        f"rows:                  {len(readings):,} ({LOCATIONS} locations x {HOURS} hours, "
        f"batches of {BATCH:,})",
        flush=True,
    )

    _ingest(readings[:BATCH])  # warm up: connection, staging table, code paths
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE weather_observation")
    empty_seconds = _ingest(readings)
    empty_rate = len(readings) / empty_seconds
    print(f"into an empty table:   {empty_rate:,.0f} rows/s ({empty_seconds:.2f} s)", flush=True)

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
    copy_rate = len(readings) / copy_seconds
    copy_ratio = empty_rate / copy_rate
    print(f"raw COPY:              {copy_rate:,.0f} rows/s ({copy_seconds:.2f} s)")
    print(
        f"ratio to COPY:         {copy_ratio:.0%}  (target >= {TARGET_COPY_RATIO:.0%})", flush=True
    )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE weather_observation")

    history_start = start - timedelta(hours=HISTORY_HOURS)
    seeded = seed_hourly_history([loc.id for loc in locations], history_start, HISTORY_HOURS)
    rows, _, total = history_size()
    print(
        f"history seeded:        {rows:,} rows in {seeded:.0f} s ({total / 2**20:,.0f} MiB)",
        flush=True,
    )

    grown_seconds = _ingest(readings)
    grown_rate = len(readings) / grown_seconds
    print(f"into {rows:,} rows: {grown_rate:,.0f} rows/s ({grown_seconds:.2f} s)", flush=True)

    # The empty table once more, after: the baseline brackets the run, so that a change in the
    # machine's load while seeding moves both sides of the ratio.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE weather_observation")
    again_seconds = _ingest(readings)
    again_rate = len(readings) / again_seconds
    baseline = (empty_rate + again_rate) / 2
    ratio = grown_rate / baseline
    print(f"empty table again:     {again_rate:,.0f} rows/s ({again_seconds:.2f} s)")
    print(
        f"ratio to empty table:  {ratio:.0%} of the mean of both  "
        f"(target >= {TARGET_GROWTH_RATIO:.0%})"
    )


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return value
