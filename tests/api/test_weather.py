"""`/api/v1/locations/{id}/weather/…` (CONTRACT.md §4, Weather of a location)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from domain.locations import Location
from tests.api.conftest import DATABASES, Stored, assert_problem, random_id
from tests.support.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)

METRIC = {"temperature": "°C", "wind_speed": "km/h", "precipitation": "mm", "pressure": "hPa"}
IMPERIAL = {"temperature": "°F", "wind_speed": "mph", "precipitation": "inch", "pressure": "inHg"}
READING_FIELDS = {
    "location_id",
    "observed_at",
    "temperature",
    "apparent_temperature",
    "relative_humidity",
    "dew_point",
    "pressure",
    "wind_speed",
    "wind_direction",
    "wind_gusts",
    "precipitation",
    "cloud_cover",
    "weather_code",
    "condition",
    "condition_label",
    "is_day",
    "provider",
    "fetched_at",
}


@pytest.fixture
def samara(stored: Stored) -> Location:
    return stored.location()


def url(location: Location, path: str) -> str:
    return f"/api/v1/locations/{location.id}/weather/{path}"


# --- current -------------------------------------------------------------------------------------


def test_current_weather_is_the_latest_reading_with_units(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.weather(samara)

    response = anonymous.get(url(samara, "current/"))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == READING_FIELDS | {"units"}
    assert body["location_id"] == str(samara.id)
    assert body["observed_at"] == "2026-11-24T14:00:00Z"
    assert body["temperature"] == 18.5
    assert body["weather_code"] == 3
    assert body["condition"] == "Overcast"
    assert body["condition_label"] == "Overcast"  # English: no Accept-Language
    assert body["dew_point"] is None  # the provider did not give it
    assert body["units"] == METRIC


def test_current_weather_in_imperial_units(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.weather(samara, temperature=20.0, wind_speed=16.09344, pressure=1013.25)

    body = anonymous.get(url(samara, "current/?units=imperial")).json()

    assert body["temperature"] == 68.0
    assert body["wind_speed"] == 10.0
    assert body["pressure"] == 29.921
    assert body["units"] == IMPERIAL


def test_current_weather_is_404_before_any_fetch(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    assert_problem(anonymous.get(url(samara, "current/")), 404)


def test_current_weather_of_an_unknown_location_is_404(
    stored: Stored, anonymous: APIClient
) -> None:
    assert_problem(anonymous.get(f"/api/v1/locations/{random_id()}/weather/current/"), 404)


@pytest.mark.parametrize("path", ["current/", "forecast/", "forecast/daily/", "history/", "daily/"])
def test_unknown_units_are_400_naming_the_parameter(
    stored: Stored, anonymous: APIClient, samara: Location, path: str
) -> None:
    stored.weather(samara)

    assert_problem(anonymous.get(url(samara, f"{path}?units=kelvin")), 400, errors=["units"])


@pytest.mark.parametrize("path", ["current/", "forecast/", "forecast/daily/"])
def test_conditional_get_answers_304_while_nothing_changed(
    stored: Stored, anonymous: APIClient, samara: Location, path: str
) -> None:
    stored.weather(samara)
    first = anonymous.get(url(samara, path))
    etag = first["ETag"]

    unchanged = anonymous.get(url(samara, path), HTTP_IF_NONE_MATCH=etag)
    weak = anonymous.get(url(samara, path), HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    other_units = anonymous.get(url(samara, f"{path}?units=imperial"), HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert weak.status_code == 304
    assert other_units.status_code == 200
    assert other_units["ETag"] != etag


def test_new_data_changes_the_etag(stored: Stored, anonymous: APIClient, samara: Location) -> None:
    stored.weather(samara)
    etag = anonymous.get(url(samara, "current/"))["ETag"]
    stored.clock.advance(timedelta(minutes=15))
    stored.weather(samara, temperature=19.0)

    response = anonymous.get(url(samara, "current/"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["temperature"] == 19.0


# --- forecasts -----------------------------------------------------------------------------------


def test_hourly_forecast_defaults_to_48_hours_from_now(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.weather(samara)

    body = anonymous.get(url(samara, "forecast/")).json()

    assert set(body) == {"location_id", "provider", "fetched_at", "timezone", "units", "hourly"}
    assert body["timezone"] == "Europe/Samara"
    assert body["units"] == METRIC
    assert len(body["hourly"]) == 48
    assert body["hourly"][0]["time"] == "2026-11-24T14:00:00Z"
    assert set(body["hourly"][0]) == {
        "time",
        "temperature",
        "apparent_temperature",
        "relative_humidity",
        "precipitation_probability",
        "precipitation",
        "wind_speed",
        "wind_direction",
        "weather_code",
        "condition",
        "condition_label",
    }
    assert body["hourly"][0]["condition"] == "Overcast"
    assert body["hourly"][0]["condition_label"] == "Overcast"


@pytest.mark.parametrize("hours", [1, 384])
def test_hourly_forecast_takes_1_to_384_hours(
    stored: Stored, anonymous: APIClient, samara: Location, hours: int
) -> None:
    stored.weather(samara)

    body = anonymous.get(url(samara, f"forecast/?hours={hours}")).json()

    assert len(body["hourly"]) == hours


@pytest.mark.parametrize("hours", ["0", "385", "soon"])
def test_hourly_forecast_refuses_hours_out_of_range(
    stored: Stored, anonymous: APIClient, samara: Location, hours: str
) -> None:
    stored.weather(samara)

    assert_problem(anonymous.get(url(samara, f"forecast/?hours={hours}")), 400, errors=["hours"])


def test_daily_forecast_defaults_to_7_local_days(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.weather(samara)

    body = anonymous.get(url(samara, "forecast/daily/?units=imperial")).json()

    assert set(body) == {"location_id", "provider", "fetched_at", "timezone", "units", "daily"}
    assert [day["date"] for day in body["daily"]][:2] == ["2026-11-24", "2026-11-25"]
    assert len(body["daily"]) == 7
    assert body["daily"][0]["temperature_max"] == 68.0
    assert body["units"] == IMPERIAL
    assert set(body["daily"][0]) == {
        "date",
        "temperature_min",
        "temperature_max",
        "precipitation_sum",
        "precipitation_probability_max",
        "wind_speed_max",
        "weather_code",
        "condition",
        "condition_label",
        "sunrise",
        "sunset",
    }


@pytest.mark.parametrize(("days", "status"), [("1", 200), ("16", 200), ("0", 400), ("17", 400)])
def test_daily_forecast_takes_1_to_16_days(
    stored: Stored, anonymous: APIClient, samara: Location, days: str, status: int
) -> None:
    stored.weather(samara)

    response = anonymous.get(url(samara, f"forecast/daily/?days={days}"))

    assert response.status_code == status
    if status == 200:
        assert len(response.json()["daily"]) == int(days)
    else:
        assert_problem(response, 400, errors=["days"])


@pytest.mark.parametrize("path", ["forecast/", "forecast/daily/"])
def test_forecast_is_404_before_any_fetch(
    stored: Stored, anonymous: APIClient, samara: Location, path: str
) -> None:
    assert_problem(anonymous.get(url(samara, path)), 404)


@pytest.mark.parametrize("path", ["current/", "forecast/?hours=384", "forecast/daily/?days=16"])
def test_weather_reads_cost_a_constant_number_of_queries(
    stored: Stored, user: APIClient, samara: Location, path: str
) -> None:
    stored.weather(samara)

    # The token with its user, the location, then the reading or forecast (header and points).
    assert stored.count_queries(lambda: user.get(url(samara, path))) <= 4


# --- history -------------------------------------------------------------------------------------


def test_history_defaults_to_the_last_24_hours_oldest_first(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.observations(samara, NOW - timedelta(hours=30), 31, timedelta(hours=1))

    body = anonymous.get(url(samara, "history/")).json()

    assert body["count"] == 24  # [now - 24 h, now): the reading at "now" is not in it
    assert body["results"][0]["observed_at"] == "2026-11-23T14:00:00Z"
    assert body["results"][-1]["observed_at"] == "2026-11-24T13:00:00Z"
    assert body["units"] == METRIC
    assert body["start"] == "2026-11-23T14:00:00Z"
    assert body["end"] == "2026-11-24T14:00:00Z"
    assert set(body["results"][0]) == READING_FIELDS


def test_history_of_a_range_is_half_open_and_paginated(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.observations(samara, NOW - timedelta(days=3), 72, timedelta(hours=1))

    first = anonymous.get(
        url(samara, "history/"),
        {"start": "2026-11-21T16:00:00+02:00", "end": "2026-11-22T00:00:00Z", "page_size": "5"},
    ).json()
    second = anonymous.get(first["next"]).json()

    assert first["count"] == 10  # 14:00 to 23:00 UTC
    assert [r["observed_at"][11:13] for r in first["results"]] == ["14", "15", "16", "17", "18"]
    assert [r["observed_at"][11:13] for r in second["results"]] == ["19", "20", "21", "22", "23"]
    assert second["next"] is None


def test_history_in_imperial_units(stored: Stored, anonymous: APIClient, samara: Location) -> None:
    stored.observations(samara, NOW - timedelta(hours=1), 1, timedelta(hours=1), precipitation=25.4)

    body = anonymous.get(url(samara, "history/?units=imperial")).json()

    assert body["units"] == IMPERIAL
    assert body["results"][0]["precipitation"] == 1.0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("start=yesterday", "start"),
        ("end=2026-13-01T00:00:00Z", "end"),
        ("start=2026-11-20T00:00:00", "start"),  # no offset
        ("start=2026-11-24T00:00:00Z&end=2026-11-23T00:00:00Z", "end"),
        ("start=2024-11-01T00:00:00Z&end=2026-11-01T00:00:00Z", "start"),  # over 366 days
        ("start=0001-01-01T00:00:00Z", "start"),
        ("page=0", "page"),
    ],
)
def test_history_with_bad_parameters_is_400_naming_them(
    stored: Stored, anonymous: APIClient, samara: Location, query: str, parameter: str
) -> None:
    assert_problem(anonymous.get(url(samara, f"history/?{query}")), 400, errors=[parameter])


def test_history_of_an_unknown_location_is_404(stored: Stored, anonymous: APIClient) -> None:
    assert_problem(anonymous.get(f"/api/v1/locations/{random_id()}/weather/history/"), 404)


def test_history_costs_the_same_queries_whatever_the_page_size(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.observations(samara, NOW - timedelta(hours=200), 200, timedelta(hours=1))
    week = {"start": "2026-11-14T00:00:00Z", "end": "2026-11-24T14:00:00Z"}
    history = url(samara, "history/")

    small = stored.count_queries(lambda: anonymous.get(history, {**week, "page_size": "1"}))
    large = stored.count_queries(lambda: anonymous.get(history, {**week, "page_size": "100"}))

    assert small == large == 3  # the location, the page and the count


# --- daily summaries -----------------------------------------------------------------------------


def test_daily_summaries_group_by_local_calendar_day(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    # Samara is UTC+4: readings from 16:00 to 23:00 UTC on the 22nd fall on two local days.
    stored.observations(samara, NOW - timedelta(days=1, hours=22), 8, timedelta(hours=1))

    response = anonymous.get(url(samara, "daily/?start=2026-11-22&end=2026-11-23"))

    assert response.status_code == 200
    assert response.json() == {
        "location_id": str(samara.id),
        "timezone": "Europe/Samara",
        "units": METRIC,
        "results": [
            {
                "date": "2026-11-22",
                "temperature_min": 0.0,
                "temperature_max": 3.0,
                "temperature_mean": 1.5,
                "precipitation_sum": None,
                "observation_count": 4,
            },
            {
                "date": "2026-11-23",
                "temperature_min": 4.0,
                "temperature_max": 7.0,
                "temperature_mean": 5.5,
                "precipitation_sum": None,
                "observation_count": 4,
            },
        ],
    }


def test_daily_summaries_end_is_inclusive(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.observations(samara, NOW - timedelta(days=3), 72, timedelta(hours=1))

    body = anonymous.get(url(samara, "daily/?start=2026-11-22&end=2026-11-22")).json()

    assert [day["date"] for day in body["results"]] == ["2026-11-22"]
    assert body["results"][0]["observation_count"] == 24


def test_daily_summaries_in_imperial_units(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.observations(samara, NOW - timedelta(hours=2), 1, timedelta(hours=1), temperature=100.0)

    body = anonymous.get(url(samara, "daily/?units=imperial")).json()

    assert body["units"] == IMPERIAL
    assert body["results"][0]["temperature_max"] == 212.0


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("start=24.11.2026", "start"),
        ("end=2026-02-30", "end"),
        ("start=2026-11-24&end=2026-11-23", "end"),
        ("start=2025-01-01&end=2026-01-02", "start"),  # 367 days
        ("end=0001-01-02", "end"),
    ],
)
def test_daily_summaries_with_bad_parameters_are_400_naming_them(
    stored: Stored, anonymous: APIClient, samara: Location, query: str, parameter: str
) -> None:
    assert_problem(anonymous.get(url(samara, f"daily/?{query}")), 400, errors=[parameter])


def test_daily_summaries_cost_a_constant_number_of_queries(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    stored.observations(samara, NOW - timedelta(days=30), 30 * 24, timedelta(hours=1))

    def year() -> None:
        anonymous.get(url(samara, "daily/?start=2025-11-25&end=2026-11-24"))

    assert stored.count_queries(year) == 2  # the location, then the aggregate
