"""Queries as history grows: latest observation, a one-day range and a 30-day daily summary,
through the repository, on PostgreSQL's monthly partitions, at one year of hourly readings for 100
locations (876,000 rows) and then, in the same run and database, for 1,000 locations (8,760,000).

Readings are seeded hour by hour for every location, as refreshes write them (so one location's
month lies on ~720 heap pages), for the twelve months before the current one. Prints p50/p95 per
query and size, the ratio of the larger to the smaller, the plan PostgreSQL chose for each
(EXPLAIN ANALYZE, condensed: one line for the same scan repeated over several partitions), and
the table's size per row, indexes included, for the capacity model.

Targets (issue 16): each p95 under 10 ms at both sizes, and the larger under 2x the smaller.
Set BENCH_QUERIES_SMALL=1 to run at a tenth of the sizes while developing.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.scratch_database import (
    django_on_scratch_postgres,
    history_size,
    register_locations,
    seed_hourly_history,
)

SCALE = 10 if os.environ.get("BENCH_QUERIES_SMALL") else 1
SIZES = (100 // SCALE, 1000 // SCALE)  # locations
HOURS = 365 * 24
RUNS = 300
TARGET_P95_MS = 10.0
TARGET_GROWTH = 2.0
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo", "Europe/Samara", "UTC")


def main() -> None:
    with django_on_scratch_postgres("f_brain_bench_queries"):
        _run()


def _year_start() -> datetime:
    """The first instant of the twelve whole months before the current one."""
    from adapters.persistence.history_partitions import Month

    return Month.of(datetime.now(UTC)).plus(-12).start


def _run() -> None:
    start = _year_start()
    locations: list[Any] = []
    results: dict[str, dict[int, float]] = {}
    for size in SIZES:
        added = register_locations(size - len(locations), offset=len(locations), zones=ZONES)
        seconds = seed_hourly_history([loc.id for loc in added], start, HOURS)
        locations.extend(added)
        rows, heap, total = history_size()
        print(
            f"-- {size:,} locations x 1 year: {rows:,} rows (seeded in {seconds:.0f} s); "
            f"{total / rows:.0f} bytes/row with indexes ({heap / rows:.0f} heap), "
            f"{total / 2**20:,.0f} MiB in all",
            flush=True,
        )
        for name, p95 in _measure(locations, start).items():
            results.setdefault(name, {})[size] = p95
    small, large = SIZES
    print(f"-- growth from {small:,} to {large:,} locations (target: p95 ratio < {TARGET_GROWTH}x)")
    for name, by_size in results.items():
        ratio = by_size[large] / by_size[small]
        verdict = "ok" if ratio < TARGET_GROWTH else "over target"
        print(
            f"{name + ':':22} p95 {by_size[small]:6.2f} -> {by_size[large]:6.2f} ms   "
            f"ratio {ratio:4.2f}x ({verdict})"
        )


def _measure(locations: list[Any], start: datetime) -> dict[str, float]:
    """p50/p95 of each query on random locations of `locations`, and its condensed plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from adapters.persistence.repositories import DjangoObservationRepository
    from adapters.persistence.session import Session
    from application.pagination import PageRequest

    repository = DjangoObservationRepository(Session())
    rng = random.Random(7)

    def a_day() -> datetime:
        return start + timedelta(days=rng.randrange(330))

    queries: dict[str, Callable[[Any], object]] = {
        "latest observation": lambda loc: repository.latest(loc.id),
        "one-day range": lambda loc: repository.history(
            loc.id,
            (day := a_day()),
            day + timedelta(days=1),
            PageRequest(),  # the history endpoint's first page: the day's 24 readings
        ),
        "30-day daily summary": lambda loc: repository.daily_summaries(
            loc.id, loc.timezone, (day := a_day()), day + timedelta(days=30)
        ),
    }
    p95s = {}
    for name, query in queries.items():
        for location in rng.sample(locations, min(20, len(locations))):  # warm up, as a server
            query(location)
        timings = []
        for _ in range(RUNS):
            location = rng.choice(locations)
            began = time.perf_counter()
            query(location)
            timings.append((time.perf_counter() - began) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        p95s[name] = p95
        verdict = "ok" if p95 < TARGET_P95_MS else "over target"
        print(
            f"{name + ':':22} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   "
            f"(target p95 < {TARGET_P95_MS:.0f} ms: {verdict})"
        )
        with CaptureQueriesContext(connection) as captured:
            query(locations[0])
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + captured.captured_queries[-1]["sql"]
            )
            plan = [row[0] for row in cursor.fetchall()]
        for line in condensed(plan):
            print(f"      {line}")
    return p95s


_PARTITION = re.compile(r"weather_observation_(y\d{4}m\d{2}|default)")
_ALIAS = re.compile(r"weather_observation_\d+\b")
_ACTUAL = re.compile(r" \(actual rows=\d+ loops=\d+\)")


def condensed(plan: list[str]) -> list[str]:
    """The plan with consecutive scans that differ only by partition merged into one node,
    followed by how many partitions it covers and which (first and last)."""
    nodes: list[list[str]] = []
    for line in plan:
        if line.lstrip().startswith("->") or not nodes or not line.startswith(" "):
            nodes.append([line])
        else:
            nodes[-1].append(line)
    out: list[str] = []
    previous_key = None
    group: list[list[str]] = []

    def flush() -> None:
        if not group:
            return
        if len(group) == 1:
            out.extend(group[0])
        else:
            names = [m.group(0) for node in group for m in [_PARTITION.search(node[0])] if m]
            out.extend(_generic(line) for line in group[0])
            indent = " " * (len(group[0][0]) - len(group[0][0].lstrip()) + 6)
            out.append(f"{indent}[x {len(group)} partitions: {names[0]} ... {names[-1]}]")
        group.clear()

    for node in nodes:
        key = tuple(_generic(line) for line in node) if _PARTITION.search(node[0]) else None
        if key is None or key != previous_key:
            flush()
        group.append(node)
        previous_key = key
    flush()
    return out


def _generic(line: str) -> str:
    line = _PARTITION.sub("weather_observation_<month>", line)
    line = _ALIAS.sub("weather_observation_<n>", line)
    return _ACTUAL.sub("", line)
