"""The database's daily summaries and the domain's are one rule: `daily_summaries` groups in SQL
(PostgreSQL's `AT TIME ZONE`, SQLite's registered zoneinfo function) what `summarize_daily`
groups in Python, and both must give the same days, counts and statistics for the same readings,
on the days the clocks change too. The domain's is the rule; the SQL one is its fast copy."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from adapters.persistence.unit_of_work import DjangoUnitOfWork
from domain.aggregation import DailySummary, local_day_bounds, summarize_daily
from domain.locations import Location
from domain.observations import Observation
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import a_location, an_observation

pytestmark = pytest.mark.django_db(databases=DATABASES)

READINGS_PER_HOUR = 2  # every half hour, so a day's count says how many hours it has
PROVIDERS = ("open-meteo", "met-norway")


def readings_around(location: Location, day: date, seed: int) -> list[Observation]:
    """Half-hourly readings from the local day before `day` to the local day after it, from two
    providers at some instants; values repeat, run negative and are sometimes missing."""
    rng = random.Random(seed)
    start, _ = local_day_bounds(day - timedelta(days=1), location.timezone)
    _, end = local_day_bounds(day + timedelta(days=1), location.timezone)
    readings = []
    moment = start
    while moment < end:
        for provider in PROVIDERS[: rng.choice((1, 1, 2))]:
            readings.append(
                an_observation(
                    location.id,
                    observed_at=moment,
                    provider=provider,
                    temperature=rng.choice((None, round(rng.uniform(-15, 35), 1), 0.0)),
                    precipitation=rng.choice((None, 0.0, round(rng.uniform(0, 8), 2))),
                )
            )
        moment += timedelta(minutes=60 // READINGS_PER_HOUR)
    return readings


def stored_summaries(
    alias: str, location: Location, readings: list[Observation], first: date, last: date
) -> list[DailySummary]:
    """The readings stored, then summarized by the database from local `first` to `last`."""
    start, _ = local_day_bounds(first, location.timezone)
    _, end = local_day_bounds(last, location.timezone)
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.observations.add_many(readings)
        return list(uow.observations.daily_summaries(location.id, location.timezone, start, end))


def assert_same_summaries(stored: list[DailySummary], computed: list[DailySummary]) -> None:
    assert [s.date for s in stored] == [s.date for s in computed]
    for got, want in zip(stored, computed, strict=True):
        assert got.observation_count == want.observation_count, got.date
        assert (got.temperature_min, got.temperature_max) == (
            want.temperature_min,
            want.temperature_max,
        ), got.date
        # Means and sums: PostgreSQL adds doubles in its own order, SQLite compensates, the
        # domain uses fsum; they agree to rounding, not to the last bit.
        assert got.temperature_mean == pytest.approx(want.temperature_mean, abs=1e-9), got.date
        assert got.precipitation_sum == pytest.approx(want.precipitation_sum, abs=1e-9), got.date


@pytest.mark.parametrize(
    ("timezone", "day", "hours"),
    [
        ("Europe/Paris", date(2026, 10, 25), 25),  # clocks go back at 03:00 CEST
        ("Europe/Paris", date(2026, 3, 29), 23),  # clocks go forward at 02:00 CET
        ("America/Santiago", date(2026, 9, 6), 23),  # midnight does not exist: starts at 01:00
        ("Asia/Tokyo", date(2026, 11, 25), 24),  # no DST, but the local day starts at 15:00Z
        ("Europe/Paris", date(2026, 6, 15), 24),
    ],
    ids=["paris-25h", "paris-23h", "santiago-23h", "tokyo", "paris-summer"],
)
def test_the_database_summarizes_each_local_day_as_the_domain_does(
    alias: str, timezone: str, day: date, hours: int
) -> None:
    location = a_location(timezone=timezone)
    readings = readings_around(location, day, seed=day.toordinal())
    computed = summarize_daily(readings, timezone)
    stored = stored_summaries(
        alias, location, readings, day - timedelta(days=1), day + timedelta(days=1)
    )

    assert_same_summaries(stored, computed)
    start, end = local_day_bounds(day, timezone)
    in_the_day = [r for r in readings if start <= r.observed_at < end]
    assert len({r.observed_at for r in in_the_day}) == hours * READINGS_PER_HOUR
    [of_the_day] = [s for s in stored if s.date == day]
    assert of_the_day.observation_count == len(in_the_day)


def test_a_day_whose_readings_lack_a_value_has_no_statistic_for_it_in_either(
    alias: str,
) -> None:
    location = a_location(timezone="Europe/Paris")
    day = date(2026, 10, 25)
    midnight, _ = local_day_bounds(day, location.timezone)
    readings = [
        an_observation(
            location.id,
            observed_at=midnight + timedelta(hours=hours),
            temperature=None,
            precipitation=None,
        )
        for hours in (0, 24)
    ]
    computed = summarize_daily(readings, location.timezone)
    stored = stored_summaries(alias, location, readings, day, day)

    assert_same_summaries(stored, computed)
    [summary] = stored
    assert summary.observation_count == 2  # 00:00 and 23:00 local: the 25-hour day's last hour
    assert summary.temperature_min is summary.temperature_mean is summary.precipitation_sum is None
