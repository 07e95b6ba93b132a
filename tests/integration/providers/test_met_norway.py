"""MET Norway's Locationforecast client against a stub: parsing, politeness, caching."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer

from adapters.providers.met_norway import MetNorwayProvider
from adapters.providers.met_norway.symbols import SYMBOL_TO_WMO, is_day_for, weather_code_for
from domain.errors import ProviderUnavailable
from domain.locations import Coordinates
from domain.weather_codes import CONDITIONS
from tests.integration.providers.conftest import USER_AGENT
from tests.support.builders import a_location, oslo
from tests.support.fakes.clock import FakeClock
from tests.support.provider_answers import MET_PATH, MET_SIX_HOUR_RAIN, met_excerpt, met_series
from tests.support.provider_stubs import FAST, TIMEOUT_SECONDS

STEP_TIME = datetime(2020, 6, 10, 13, 0, tzinfo=UTC)  # the fixture's only time step
LAST_MODIFIED = "Wed, 10 Jun 2020 13:04:26 GMT"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@pytest.fixture
def at_fixture_time(clock: FakeClock) -> FakeClock:
    clock.set(STEP_TIME + timedelta(minutes=20))
    return clock


def serve_fixture(server: HTTPServer, clock: FakeClock, *, fresh_for: timedelta) -> None:
    server.expect_ordered_request(MET_PATH).respond_with_json(
        met_excerpt(),
        headers={"Last-Modified": LAST_MODIFIED, "Expires": http_date(clock.now() + fresh_for)},
    )


def test_the_recorded_time_step_becomes_current_weather_in_metric_units(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    serve_fixture(httpserver, at_fixture_time, fresh_for=timedelta(minutes=30))
    location = oslo()

    [report] = met_norway.fetch([location])

    current = report.current
    assert current is not None
    assert report.location_id == current.location_id == location.id
    assert current.observed_at == STEP_TIME
    assert current.provider == "met-norway"
    assert current.fetched_at == at_fixture_time.now()
    assert current.temperature == 20.7
    assert current.relative_humidity == 48.6
    assert current.dew_point == 9.5
    assert current.pressure == 1020.5
    assert current.wind_speed == pytest.approx(9.0)  # 2.5 m/s
    assert current.wind_gusts == pytest.approx(23.76)  # 6.6 m/s
    assert current.wind_direction == 151.8
    assert current.cloud_cover == 58.0
    assert current.precipitation == 0.0
    assert (current.weather_code, current.condition) == (2, "Partly cloudy")
    assert current.is_day is True
    assert current.apparent_temperature is None  # MET does not give one


def test_the_recorded_time_step_becomes_an_hourly_and_a_daily_point(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    serve_fixture(httpserver, at_fixture_time, fresh_for=timedelta(minutes=30))

    [report] = met_norway.fetch([oslo()])

    assert report.hourly is not None
    [hour] = report.hourly.points
    assert hour.time == STEP_TIME
    assert (hour.temperature, hour.precipitation, hour.precipitation_probability) == (
        20.7,
        0.0,
        0.0,
    )
    assert hour.weather_code == 2
    assert report.daily is not None
    [day] = report.daily.points
    assert day.date == date(2020, 6, 10)
    assert (day.temperature_min, day.temperature_max) == (18.4, 20.7)
    assert day.precipitation_sum == 0.0
    assert day.precipitation_probability_max == 2.2
    assert day.wind_speed_max == pytest.approx(9.0)
    assert (day.sunrise, day.sunset) == (None, None)


def test_every_request_identifies_itself_and_sends_four_decimal_coordinates(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    serve_fixture(httpserver, at_fixture_time, fresh_for=timedelta(minutes=30))

    met_norway.fetch(
        [
            a_location(
                name="Somewhere",
                coordinates=Coordinates(60.12346, 10.00004),
                timezone="Europe/Oslo",
                elevation=267.4,
            )
        ]
    )

    [(request, _response)] = httpserver.log
    assert request.headers["User-Agent"] == USER_AGENT
    assert (request.args["lat"], request.args["lon"]) == ("60.1235", "10")
    assert request.args["altitude"] == "267"
    assert "If-Modified-Since" not in request.headers


def test_a_blank_user_agent_is_refused_at_construction(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="User-Agent"):
        MetNorwayProvider(timeout_seconds=TIMEOUT_SECONDS, user_agent="  ", clock=clock)


def test_no_request_is_made_before_the_last_answer_expires(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    serve_fixture(httpserver, at_fixture_time, fresh_for=timedelta(minutes=30))
    location = oslo()
    [first] = met_norway.fetch([location])

    at_fixture_time.advance(timedelta(minutes=10))
    [second] = met_norway.fetch([location])

    assert len(httpserver.log) == 1
    assert second.current == first.current


def test_after_expiry_a_conditional_request_and_its_304_reuse_the_last_answer(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    serve_fixture(httpserver, at_fixture_time, fresh_for=timedelta(minutes=30))
    [first] = met_norway.fetch([oslo()])
    at_fixture_time.advance(timedelta(minutes=31))
    httpserver.expect_ordered_request(
        MET_PATH, headers={"If-Modified-Since": LAST_MODIFIED, "User-Agent": USER_AGENT}
    ).respond_with_data(
        "",
        status=304,
        headers={"Expires": http_date(at_fixture_time.now() + timedelta(minutes=30))},
    )

    [second] = met_norway.fetch([oslo()])

    httpserver.check_assertions()
    assert len(httpserver.log) == 2
    assert second.current is not None
    assert first.current is not None
    assert second.current.measurements == first.current.measurements
    assert second.current.fetched_at == at_fixture_time.now()
    at_fixture_time.advance(timedelta(minutes=10))
    met_norway.fetch([oslo()])
    assert len(httpserver.log) == 2  # the 304's Expires is honoured too


def test_a_304_to_an_unconditional_request_is_a_provider_failure(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    httpserver.expect_request(MET_PATH).respond_with_data("", status=304)

    with pytest.raises(ProviderUnavailable, match="304"):
        met_norway.fetch([oslo()])


def test_one_request_per_location_and_one_failure_fails_the_whole_batch(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    serve_fixture(httpserver, at_fixture_time, fresh_for=timedelta(minutes=30))
    httpserver.expect_ordered_request(MET_PATH).respond_with_data(
        "Forbidden", status=403, content_type="text/plain"
    )

    with pytest.raises(ProviderUnavailable, match="403"):
        met_norway.fetch([oslo(), a_location()])

    assert len(httpserver.log) == 2


def test_hourly_steps_and_six_hour_steps_add_up_to_local_days_without_double_counting(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, clock: FakeClock
) -> None:
    clock.set(utc(2026, 9, 15, 20, 10))
    # Oslo is UTC+2 in September: 21:00Z and 22:00Z are 23:00 and 00:00 local.
    hourly: list[tuple[datetime, float, str, float | None]] = [
        (utc(2026, 9, 15, 20), 12.0, "cloudy", 0.5),
        (utc(2026, 9, 15, 21), 11.0, "lightrain", 1.0),
        (utc(2026, 9, 15, 22), 10.0, "rain", 2.0),
    ]
    six_hourly: list[tuple[datetime, float, str, float | None]] = [
        (utc(2026, 9, 15, 23), 9.0, "rain", None),
        (utc(2026, 9, 16, 5), 8.0, "partlycloudy_night", None),
    ]
    httpserver.expect_request(MET_PATH).respond_with_json(met_series(hourly + six_hourly))

    [report] = met_norway.fetch([oslo()])

    assert report.current is not None
    assert report.current.observed_at == utc(2026, 9, 15, 20)
    assert report.current.weather_code == 3
    assert report.hourly is not None
    assert [point.precipitation for point in report.hourly.points] == [0.5, 1.0, 2.0, None, None]
    assert report.daily is not None
    first, second = report.daily.points
    assert first.date == date(2026, 9, 15)
    assert first.precipitation_sum == 1.5
    assert (first.temperature_min, first.temperature_max) == (10.0, 13.0)
    assert first.weather_code == 61
    assert second.date == date(2026, 9, 16)
    assert second.precipitation_sum == 2.0 + 2 * MET_SIX_HOUR_RAIN
    assert second.weather_code == 63


def test_a_wind_unit_other_than_metres_per_second_is_refused(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    answer = met_excerpt()
    answer["properties"]["meta"]["units"]["wind_speed"] = "km/h"
    httpserver.expect_request(MET_PATH).respond_with_json(answer)

    with pytest.raises(ProviderUnavailable, match="wind_speed"):
        met_norway.fetch([oslo()])


def test_a_time_without_utc_offset_is_refused(
    httpserver: HTTPServer, met_norway: MetNorwayProvider, at_fixture_time: FakeClock
) -> None:
    answer = met_excerpt()
    answer["properties"]["timeseries"][0]["time"] = "2020-06-10T13:00:00"
    httpserver.expect_request(MET_PATH).respond_with_json(answer)

    with pytest.raises(ProviderUnavailable, match="no UTC offset"):
        met_norway.fetch([oslo()])


@pytest.mark.parametrize(
    ("symbol", "code", "is_day"),
    [
        ("clearsky_day", 0, True),
        ("fair_night", 1, False),
        ("partlycloudy_polartwilight", 2, False),
        ("cloudy", 3, None),
        ("fog", 45, None),
        ("lightrainshowers_day", 80, True),
        ("heavysnow", 75, None),
        ("sleet", 66, None),
        ("lightssnowshowersandthunder_night", 95, False),
    ],
)
def test_symbol_codes_map_to_the_nearest_wmo_code_and_daylight(
    symbol: str, code: int, is_day: bool | None
) -> None:
    assert weather_code_for(symbol) == code
    assert is_day_for(symbol) is is_day


def test_every_symbol_maps_to_a_code_the_domain_can_name() -> None:
    assert set(SYMBOL_TO_WMO.values()) <= set(CONDITIONS)


def test_an_unknown_symbol_is_a_missing_code_not_a_failure() -> None:
    assert weather_code_for("tornado_day") is None


def test_met_norway_is_polite_with_batches_by_default(clock: FakeClock) -> None:
    provider = MetNorwayProvider(
        timeout_seconds=TIMEOUT_SECONDS, user_agent=USER_AGENT, policy=FAST, clock=clock
    )

    assert provider.name == "met-norway"
    assert 1 <= provider.max_batch_size <= 20
