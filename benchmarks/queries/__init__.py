"""Queries: latest observation, a one-day range and a 30-day daily summary, through the repository,
on one year of hourly readings for 100 locations (876,000 rows) on PostgreSQL.

Prints p50/p95 per query and the plan PostgreSQL chose for each (EXPLAIN ANALYZE), which is how
the index notes in ``adapters/persistence/models.py`` were checked.
Target (issue 4): each under 10 ms p95.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from benchmarks.scratch_database import django_on_scratch_postgres

LOCATIONS = 100
HOURS = 365 * 24
RUNS = 200
TARGET_P95_MS = 10.0
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)


def main() -> None:
    with django_on_scratch_postgres("f_brain_bench_queries"):
        _run()


def _load() -> list[object]:
    """Locations through the repository; a year of readings by one INSERT … SELECT."""
    from django.db import connection

    from adapters.persistence.unit_of_work import DjangoUnitOfWork
    from domain.locations import Coordinates, Location

    zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/Samara", "UTC"]
    locations = [
        Location.register(
            name=f"Bench {i}",
            coordinates=Coordinates(i / 10, i / 10),
            timezone=zones[i % len(zones)],
            now=YEAR_START,
        )
        for i in range(LOCATIONS)
    ]
    with DjangoUnitOfWork() as uow:
        for location in locations:
            uow.locations.add(location)
        uow.commit()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO weather_observation
                (location_id, observed_at, provider, fetched_at, temperature, relative_humidity,
                 pressure, wind_speed, wind_direction, precipitation, cloud_cover, weather_code)
            SELECT l.id, %s + make_interval(hours => h), 'open-meteo',
                   %s + make_interval(hours => h, mins => 5),
                   10 + 15 * sin(h / 24.0), 50 + (h %% 50), 1000 + (h %% 30), h %% 60,
                   h %% 360, (h %% 5) / 10.0, h %% 100, h %% 4
            FROM weather_location l CROSS JOIN generate_series(0, %s - 1) AS h
            """,
            [YEAR_START, YEAR_START, HOURS],
        )
        cursor.execute("ANALYZE weather_observation")
        cursor.execute("SELECT count(*) FROM weather_observation")
        print(f"rows:                  {cursor.fetchone()[0]:,}")
    return list(locations)


def _run() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from adapters.persistence.repositories import DjangoObservationRepository
    from adapters.persistence.session import Session
    from application.pagination import PageRequest

    locations = _load()
    repository = DjangoObservationRepository(Session())
    rng = random.Random(7)

    def a_day() -> datetime:
        return YEAR_START + timedelta(days=rng.randrange(330))

    queries: dict[str, Callable[[object], object]] = {
        "latest observation": lambda loc: repository.latest(loc.id),  # type: ignore[attr-defined]
        "one-day range": lambda loc: repository.history(
            loc.id,  # type: ignore[attr-defined]
            (day := a_day()),
            day + timedelta(days=1),
            PageRequest(),  # the history endpoint's first page: the day's 24 readings
        ),
        "30-day daily summary": lambda loc: repository.daily_summaries(
            loc.id,  # type: ignore[attr-defined]
            loc.timezone,  # type: ignore[attr-defined]
            (day := a_day()),
            day + timedelta(days=30),
        ),
    }
    for name, query in queries.items():
        for location in locations[:10]:  # warm the cache as a running server would be
            query(location)
        timings = []
        for _ in range(RUNS):
            location = rng.choice(locations)
            began = time.perf_counter()
            query(location)
            timings.append((time.perf_counter() - began) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        verdict = "ok" if p95 < TARGET_P95_MS else "over target"
        print(f"{name + ':':22} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   ({verdict})")
        with CaptureQueriesContext(connection) as captured:
            query(locations[0])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + captured.captured_queries[-1]["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        for line in plan:
            print(f"      {line}")
