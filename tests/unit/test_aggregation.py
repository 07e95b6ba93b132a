"""Daily aggregation by the location's local calendar day, DST days included: the summaries of
readings and the daily forecast made from time steps, which follow one rule."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.aggregation import (
    Sample,
    daily_forecast,
    local_date,
    local_day_bounds,
    summarize_daily,
)
from domain.observations import Observation
from tests.support.builders import an_observation

DST_ZONES = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",  # half-hour shift
    "America/Santiago",  # changes at midnight: some days start at 01:00
    "Asia/Tokyo",
    "Pacific/Chatham",
    "UTC",
]


def test_the_day_clocks_spring_forward_lasts_23_hours() -> None:
    start, end = local_day_bounds(date(2026, 3, 29), "Europe/Paris")
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 23, tzinfo=UTC)


def test_the_day_clocks_fall_back_lasts_25_hours() -> None:
    start, end = local_day_bounds(date(2026, 10, 25), "Europe/Paris")
    assert end - start == timedelta(hours=25)


def test_a_day_whose_midnight_does_not_exist_starts_when_the_clocks_jump() -> None:
    start, end = local_day_bounds(date(2026, 9, 6), "America/Santiago")
    assert start.astimezone(ZoneInfo("America/Santiago")).hour == 1
    assert end - start == timedelta(hours=23)


def test_a_reading_belongs_to_the_local_day_not_the_utc_day() -> None:
    assert local_date(datetime(2026, 11, 24, 20, tzinfo=UTC), "Asia/Tokyo") == date(2026, 11, 25)


def test_a_summary_gives_min_max_mean_sum_and_count_per_local_day() -> None:
    location_id = uuid.uuid4()
    day = datetime(2026, 3, 28, 23, tzinfo=UTC)  # local midnight of the 23-hour day in Paris
    readings = [
        an_observation(location_id, observed_at=day, temperature=2.0, precipitation=0.5),
        an_observation(
            location_id, observed_at=day + timedelta(hours=22, minutes=59), temperature=6.0
        ),
        an_observation(location_id, observed_at=day + timedelta(hours=23), temperature=9.0),
        an_observation(location_id, observed_at=day + timedelta(hours=1)),
    ]
    first, second = summarize_daily(readings, "Europe/Paris")
    assert first.date == date(2026, 3, 29)
    assert (first.temperature_min, first.temperature_max, first.temperature_mean) == (2.0, 6.0, 4.0)
    assert (first.precipitation_sum, first.observation_count) == (0.5, 3)
    assert second.date == date(2026, 3, 30)
    assert second.precipitation_sum is None


def test_a_day_without_temperatures_has_no_temperature_statistics() -> None:
    (summary,) = summarize_daily([an_observation(precipitation=1.0)], "UTC")
    assert summary.temperature_min is summary.temperature_mean is None
    assert summary.observation_count == 1


# Days when one of DST_ZONES changes its clocks in 2026; readings cluster around them.
TRANSITIONS = [
    datetime(2026, month, day, tzinfo=UTC)
    for month, day in [(3, 8), (3, 29), (4, 5), (9, 6), (9, 27), (10, 4), (10, 25), (11, 1)]
]
instants = st.builds(
    lambda base, offset: base + offset,
    st.sampled_from(TRANSITIONS),
    st.timedeltas(min_value=timedelta(hours=-60), max_value=timedelta(hours=60)),
)
readings = st.lists(
    st.tuples(
        instants,
        st.one_of(st.none(), st.floats(min_value=-40, max_value=45)),
        st.one_of(st.none(), st.floats(min_value=0, max_value=50)),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DST_ZONES), readings)
def test_summaries_equal_a_brute_force_grouping_by_local_midnights(
    timezone: str, raw: list[tuple[datetime, float | None, float | None]]
) -> None:
    location_id = uuid.uuid4()
    observations = [
        an_observation(
            location_id, observed_at=at, provider=f"p{i}", temperature=t, precipitation=p
        )
        for i, (at, t, p) in enumerate(raw)
    ]
    expected = brute_force(observations, timezone)
    actual = {s.date: s for s in summarize_daily(observations, timezone)}
    assert actual.keys() == expected.keys()
    for day, (temps, precs, count) in expected.items():
        summary = actual[day]
        assert summary.observation_count == count
        assert summary.temperature_min == (min(temps) if temps else None)
        assert summary.temperature_max == (max(temps) if temps else None)
        if temps:
            assert summary.temperature_mean is not None
            assert math.isclose(summary.temperature_mean, sum(temps) / len(temps), abs_tol=1e-9)
        if precs:
            assert summary.precipitation_sum is not None
            assert math.isclose(summary.precipitation_sum, sum(precs), abs_tol=1e-9)
        else:
            assert summary.precipitation_sum is None


def brute_force(
    observations: list[Observation], timezone: str
) -> dict[date, tuple[list[float], list[float], int]]:
    """Walk local day by local day, taking the readings between two local midnights."""
    groups: dict[date, tuple[list[float], list[float], int]] = defaultdict(lambda: ([], [], 0))
    if not observations:
        return {}
    day = min(o.observed_at for o in observations).date() - timedelta(days=1)
    last = max(o.observed_at for o in observations).date() + timedelta(days=1)
    while day <= last:
        start, end = local_day_bounds(day, timezone)
        inside = [o for o in observations if start <= o.observed_at < end]
        if inside:
            groups[day] = (
                [o.temperature for o in inside if o.temperature is not None],
                [o.precipitation for o in inside if o.precipitation is not None],
                len(inside),
            )
        day += timedelta(days=1)
    return dict(groups)


def test_a_forecast_day_takes_period_extremes_into_its_minimum_and_maximum() -> None:
    midnight, _ = local_day_bounds(date(2026, 10, 25), "Europe/Paris")
    samples = [
        Sample(time=midnight, temperature=8.0, temperature_low=5.5, temperature_high=9.0),
        Sample(time=midnight + timedelta(hours=6), temperature_high=14.0),
        Sample(time=midnight + timedelta(hours=12), temperature=12.0),
    ]

    [day] = daily_forecast(samples, "Europe/Paris")

    assert (day.temperature_min, day.temperature_max) == (5.5, 14.0)


def test_a_forecast_day_adds_its_amounts_and_keeps_its_highest_chance_wind_and_code() -> None:
    midnight, _ = local_day_bounds(date(2026, 3, 29), "Europe/Paris")
    samples = [
        Sample(time=midnight, precipitation=0.5, precipitation_probability=20.0, weather_code=3),
        Sample(
            time=midnight + timedelta(hours=1),
            precipitation=1.25,
            precipitation_probability=70.0,
            wind_speed=18.0,
            weather_code=63,
        ),
        Sample(time=midnight + timedelta(hours=7), wind_speed=9.0, weather_code=61),
    ]

    [day] = daily_forecast(samples, "Europe/Paris")

    assert day.precipitation_sum == 1.75
    assert day.precipitation_probability_max == 70.0
    assert day.wind_speed_max == 18.0
    assert day.weather_code == 63  # the most severe: WMO codes grow with severity
    assert day.sunrise is day.sunset is None


def test_the_25_hour_day_holds_every_step_until_the_next_local_midnight() -> None:
    midnight, _ = local_day_bounds(date(2026, 10, 25), "Europe/Paris")
    steps = [Sample(time=midnight + timedelta(hours=h), temperature=float(h)) for h in range(26)]

    today, tomorrow = daily_forecast(steps, "Europe/Paris")

    assert (today.date, today.temperature_max) == (date(2026, 10, 25), 24.0)
    assert (tomorrow.date, tomorrow.temperature_min) == (date(2026, 10, 26), 25.0)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(DST_ZONES), readings)
def test_a_forecast_from_readings_has_the_days_and_statistics_of_their_summaries(
    timezone: str, raw: list[tuple[datetime, float | None, float | None]]
) -> None:
    """One rule: the same values make the same days, minimum, maximum and sum either way."""
    observations = [
        an_observation(observed_at=at, provider=f"p{i}", temperature=t, precipitation=p)
        for i, (at, t, p) in enumerate(raw)
    ]
    samples = [
        Sample(time=o.observed_at, temperature=o.temperature, precipitation=o.precipitation)
        for o in observations
    ]

    summaries = summarize_daily(observations, timezone)
    forecast = daily_forecast(samples, timezone)

    assert [
        (s.date, s.temperature_min, s.temperature_max, s.precipitation_sum) for s in summaries
    ] == [(d.date, d.temperature_min, d.temperature_max, d.precipitation_sum) for d in forecast]
