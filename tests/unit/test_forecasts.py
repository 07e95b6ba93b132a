"""Forecast points and the windows the API serves from them."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from domain.errors import InvalidInput
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from tests.support.builders import NOW


def hourly(hours: int) -> HourlyForecast:
    return HourlyForecast(
        location_id=uuid.uuid4(),
        provider="open-meteo",
        fetched_at=NOW,
        points=[HourlyPoint(time=NOW + timedelta(hours=h)) for h in reversed(range(-3, hours))],
    )


def test_hourly_points_are_kept_in_time_order() -> None:
    times = [point.time for point in hourly(5).points]
    assert times == sorted(times)


def test_an_hourly_forecast_refuses_two_points_for_one_hour() -> None:
    with pytest.raises(InvalidInput):
        HourlyForecast(
            location_id=uuid.uuid4(),
            provider="p",
            fetched_at=NOW,
            points=[HourlyPoint(time=NOW), HourlyPoint(time=NOW)],
        )


def test_from_hour_starts_with_the_hour_that_contains_now() -> None:
    points = hourly(48).from_hour(NOW + timedelta(minutes=40), 3)
    assert [p.time for p in points] == [NOW + timedelta(hours=h) for h in range(3)]


def test_from_hour_gives_what_exists_when_asked_for_more() -> None:
    assert len(hourly(5).from_hour(NOW, 384)) == 5


def test_daily_points_are_ordered_unique_and_cut_from_today() -> None:
    today = date(2026, 11, 24)
    forecast = DailyForecast(
        location_id=uuid.uuid4(),
        provider="p",
        fetched_at=NOW,
        points=[DailyPoint(date=today + timedelta(days=d)) for d in (3, 1, 0, -1, 2)],
    )
    assert [p.date for p in forecast.from_day(today, 2)] == [today, today + timedelta(days=1)]
    with pytest.raises(InvalidInput):
        DailyForecast(
            location_id=uuid.uuid4(),
            provider="p",
            fetched_at=NOW,
            points=[DailyPoint(date=today), DailyPoint(date=today)],
        )


def test_a_day_cannot_be_colder_at_its_max_than_at_its_min() -> None:
    with pytest.raises(InvalidInput) as raised:
        DailyPoint(date=date(2026, 1, 1), temperature_min=5.0, temperature_max=4.0)
    assert raised.value.field == "temperature_max"


def test_forecast_points_describe_their_weather_code() -> None:
    assert HourlyPoint(time=NOW, weather_code=45).condition == "Fog"
    assert DailyPoint(date=date(2026, 1, 1), weather_code=0).condition == "Clear sky"


def test_sunrise_and_sunset_must_be_aware() -> None:
    with pytest.raises(InvalidInput):
        DailyPoint(date=date(2026, 1, 1), sunrise=NOW.replace(tzinfo=None))
    assert DailyPoint(date=date(2026, 1, 1), sunrise=NOW).sunrise == NOW
