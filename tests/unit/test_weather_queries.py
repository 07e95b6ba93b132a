"""Reading weather back: current, forecasts, history and daily summaries, in either unit system."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from application.use_cases.get_current_weather import GetCurrentWeather, GetCurrentWeatherQuery
from application.use_cases.get_daily_forecast import GetDailyForecast, GetDailyForecastQuery
from application.use_cases.get_daily_summaries import (
    GetDailySummaries,
    GetDailySummariesQuery,
)
from application.use_cases.get_history import GetHistory, GetHistoryQuery
from application.use_cases.get_hourly_forecast import GetHourlyForecast, GetHourlyForecastQuery
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from domain.errors import InvalidInput, NotFound
from domain.locations import Location
from domain.units import UnitSystem
from tests.support.builders import NOW, a_location, an_observation
from tests.support.core import Core, a_core


def refreshed_core(**location_fields: object) -> tuple[Core, Location]:
    core = a_core()
    location = a_location(**location_fields)
    core.add(location)
    RefreshLocation(core.pipeline()).execute(RefreshLocationCommand(location.id))
    return core, location


def test_current_weather_is_the_latest_reading_with_its_condition_and_units() -> None:
    core, location = refreshed_core()
    result = GetCurrentWeather(core.uow).execute(GetCurrentWeatherQuery(location_id=location.id))
    assert result.reading.temperature == 18.5
    assert result.reading.condition == "Overcast"
    assert result.reading.provider == "open-meteo"
    assert result.units["temperature"] == "°C"


def test_current_weather_in_imperial_converts_every_unit_bearing_field() -> None:
    core, location = refreshed_core()
    result = GetCurrentWeather(core.uow).execute(
        GetCurrentWeatherQuery(location_id=location.id, units=UnitSystem.IMPERIAL)
    )
    reading = result.reading
    assert (reading.temperature, reading.wind_speed, reading.pressure) == (65.3, 6.71, 30.032)
    assert reading.precipitation == 0.0
    assert (reading.relative_humidity, reading.wind_direction) == (78.0, 90.0)
    assert result.units == UnitSystem.IMPERIAL.labels


def test_current_weather_is_not_found_before_the_first_fetch_or_for_unknown_places() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    with pytest.raises(NotFound):
        GetCurrentWeather(core.uow).execute(GetCurrentWeatherQuery(location_id=location.id))
    with pytest.raises(NotFound):
        GetCurrentWeather(core.uow).execute(GetCurrentWeatherQuery(location_id=uuid.uuid4()))


def test_the_hourly_forecast_starts_at_the_current_hour_and_has_the_asked_length() -> None:
    core, location = refreshed_core()
    core.clock.advance(timedelta(hours=2, minutes=30))
    result = GetHourlyForecast(core.uow, core.clock).execute(
        GetHourlyForecastQuery(location_id=location.id, hours=3, units=UnitSystem.IMPERIAL)
    )
    assert [p.time for p in result.hourly] == [NOW + timedelta(hours=h) for h in (2, 3, 4)]
    assert result.hourly[0].temperature == 65.3
    assert (result.provider, result.timezone) == ("open-meteo", "Europe/Samara")
    assert result.units["temperature"] == "°F"


@pytest.mark.parametrize("hours", [0, 385])
def test_the_hourly_forecast_takes_1_to_384_hours(hours: int) -> None:
    core, location = refreshed_core()
    with pytest.raises(InvalidInput) as raised:
        GetHourlyForecast(core.uow, core.clock).execute(
            GetHourlyForecastQuery(location_id=location.id, hours=hours)
        )
    assert raised.value.field == "hours"


def test_forecasts_are_not_found_before_the_first_fetch() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    with pytest.raises(NotFound):
        GetHourlyForecast(core.uow, core.clock).execute(
            GetHourlyForecastQuery(location_id=location.id)
        )
    with pytest.raises(NotFound):
        GetDailyForecast(core.uow, core.clock).execute(
            GetDailyForecastQuery(location_id=location.id)
        )


def test_the_daily_forecast_starts_on_the_locations_today() -> None:
    core, location = refreshed_core(timezone="Pacific/Kiritimati")  # UTC+14: already tomorrow
    result = GetDailyForecast(core.uow, core.clock).execute(
        GetDailyForecastQuery(location_id=location.id, days=2)
    )
    assert [p.date for p in result.daily] == [date(2026, 11, 25), date(2026, 11, 26)]
    assert result.daily[0].condition == "Overcast"
    assert result.daily[0].temperature_max == 20.0


@pytest.mark.parametrize("days", [0, 17])
def test_the_daily_forecast_takes_1_to_16_days(days: int) -> None:
    core, location = refreshed_core()
    with pytest.raises(InvalidInput) as raised:
        GetDailyForecast(core.uow, core.clock).execute(
            GetDailyForecastQuery(location_id=location.id, days=days)
        )
    assert raised.value.field == "days"


def history_core() -> tuple[Core, Location]:
    core = a_core()
    location = a_location()
    core.add(location)
    core.add_observations(
        *[
            an_observation(location.id, observed_at=NOW - timedelta(hours=h), temperature=float(h))
            for h in range(48)
        ]
    )
    return core, location


def test_history_defaults_to_the_last_24_hours_oldest_first() -> None:
    core, location = history_core()
    result = GetHistory(core.uow, core.clock).execute(GetHistoryQuery(location_id=location.id))
    times = [r.observed_at for r in result.page.items]
    assert times[0] == NOW - timedelta(hours=24)
    assert times[-1] == NOW - timedelta(hours=1)
    assert result.page.count == 24
    assert (result.start, result.end) == (NOW - timedelta(hours=24), NOW)


def test_history_is_start_inclusive_end_exclusive_and_paginated() -> None:
    core, location = history_core()
    plus_two = timezone(timedelta(hours=2))
    result = GetHistory(core.uow, core.clock).execute(
        GetHistoryQuery(
            location_id=location.id,
            start=(NOW - timedelta(hours=10)).astimezone(plus_two),
            end=NOW - timedelta(hours=5),
            page=2,
            page_size=2,
            units=UnitSystem.IMPERIAL,
        )
    )
    assert result.page.count == 5
    assert [r.observed_at for r in result.page.items] == [
        NOW - timedelta(hours=8),
        NOW - timedelta(hours=7),
    ]
    assert result.page.items[0].temperature == 46.4  # 8 °C
    assert result.start.tzinfo is UTC


def test_history_with_only_an_end_covers_the_24_hours_before_it() -> None:
    core, location = history_core()
    result = GetHistory(core.uow, core.clock).execute(
        GetHistoryQuery(location_id=location.id, end=NOW - timedelta(hours=24))
    )
    assert result.start == NOW - timedelta(hours=48)


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (NOW, NOW - timedelta(hours=1), "end"),
        (NOW, NOW, "end"),
        (NOW - timedelta(days=367), NOW, "start"),
        (datetime(2026, 11, 1), NOW, "start"),
        (NOW - timedelta(hours=1), datetime(2026, 11, 24), "end"),
    ],
)
def test_history_refuses_reversed_too_long_or_naive_ranges(
    start: datetime, end: datetime, field: str
) -> None:
    core, location = history_core()
    with pytest.raises(InvalidInput) as raised:
        GetHistory(core.uow, core.clock).execute(
            GetHistoryQuery(location_id=location.id, start=start, end=end)
        )
    assert raised.value.field == field


def test_history_of_an_unknown_location_is_not_found() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        GetHistory(core.uow, core.clock).execute(GetHistoryQuery(location_id=uuid.uuid4()))


def test_daily_summaries_group_by_the_locations_local_days_end_inclusive() -> None:
    core = a_core()
    location = a_location(timezone="Asia/Tokyo")
    core.add(location)
    evening_utc = datetime(2026, 11, 20, 16, tzinfo=UTC)  # 01:00 on the 21st in Tokyo
    core.add_observations(
        an_observation(location.id, observed_at=evening_utc - timedelta(hours=2), temperature=1.0),
        an_observation(location.id, observed_at=evening_utc, temperature=3.0, precipitation=2.0),
        an_observation(location.id, observed_at=evening_utc + timedelta(hours=1), temperature=5.0),
        an_observation(location.id, observed_at=evening_utc + timedelta(days=1), temperature=9.0),
    )
    result = GetDailySummaries(core.uow, core.clock).execute(
        GetDailySummariesQuery(
            location_id=location.id,
            start=date(2026, 11, 21),
            end=date(2026, 11, 22),
            units=UnitSystem.IMPERIAL,
        )
    )
    assert [(s.date, s.observation_count) for s in result.results] == [
        (date(2026, 11, 21), 2),
        (date(2026, 11, 22), 1),
    ]
    first = result.results[0]
    assert (first.temperature_min, first.temperature_max, first.temperature_mean) == (
        37.4,
        41.0,
        39.2,
    )
    assert first.precipitation_sum == 0.079
    assert (result.timezone, result.units["precipitation"]) == ("Asia/Tokyo", "inch")


def test_daily_summaries_default_to_the_week_ending_on_the_local_today() -> None:
    core = a_core()
    location = a_location(timezone="Pacific/Kiritimati")
    core.add(location)
    result = GetDailySummaries(core.uow, core.clock).execute(
        GetDailySummariesQuery(location_id=location.id)
    )
    assert (result.start, result.end) == (date(2026, 11, 19), date(2026, 11, 25))
    assert result.results == ()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(date(2026, 1, 2), date(2026, 1, 1), "end"), (date(2025, 1, 1), date(2026, 1, 2), "start")],
)
def test_daily_summaries_refuse_reversed_or_longer_than_366_day_ranges(
    start: date, end: date, field: str
) -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    with pytest.raises(InvalidInput) as raised:
        GetDailySummaries(core.uow, core.clock).execute(
            GetDailySummariesQuery(location_id=location.id, start=start, end=end)
        )
    assert raised.value.field == field


def test_a_full_leap_year_of_daily_summaries_is_allowed() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    result = GetDailySummaries(core.uow, core.clock).execute(
        GetDailySummariesQuery(
            location_id=location.id, start=date(2028, 1, 1), end=date(2028, 12, 31)
        )
    )
    assert result.results == ()
