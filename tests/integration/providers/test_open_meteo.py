"""Open-Meteo forecast, geocoding and archive clients against a stub of the real API."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.providers.open_meteo import OpenMeteoArchive, OpenMeteoGeocoder, OpenMeteoProvider
from domain.errors import ProviderUnavailable
from domain.forecasts import DailyPoint
from domain.locations import Coordinates, Place
from tests.support.builders import a_location, berlin, locations_along_the_equator, new_york
from tests.support.fakes.clock import FakeClock
from tests.support.provider_answers import (
    ARCHIVE_PATH,
    FORECAST_PATH,
    GEOCODING_PATH,
    archive_answer,
    archive_hours,
    fixture,
    forecast_batch,
    in_unixtime,
    moved_to,
    samara_forecast,
    with_hourly,
)
from tests.support.provider_stubs import FAST, TIMEOUT_SECONDS

SAMARA = a_location()
FETCHED_AT = datetime(2026, 9, 15, 8, 5, tzinfo=UTC)  # the `clock` fixture


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def batch_answers(request: Request) -> Response:
    """Answers as many locations as were asked for, as an array in request order."""
    count = len(request.args["latitude"].split(","))
    body = forecast_batch(count) if count > 1 else forecast_batch(1)[0]
    return Response(json.dumps(body), content_type="application/json")


# --- forecast: the recorded fixture ---------------------------------------------------------------


def test_the_recorded_forecast_becomes_current_weather_in_utc_and_metric_units(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_json(samara_forecast())

    [report] = open_meteo.fetch([SAMARA])

    current = report.current
    assert current is not None
    assert report.location_id == current.location_id == SAMARA.id
    assert current.observed_at == utc(2026, 9, 15, 8, 0)  # 12:00 in Samara (UTC+4)
    assert current.provider == "open-meteo"
    assert current.fetched_at == FETCHED_AT
    assert current.temperature == 18.5
    assert current.apparent_temperature == 18.5
    assert current.relative_humidity == 78.0
    assert current.weather_code == 3
    assert current.condition == "Overcast"
    assert current.wind_speed == pytest.approx(10.8)  # 3.0 m/s
    assert current.wind_direction == 90.0
    assert current.pressure == 1017.0
    assert current.is_day is True
    # Not asked in the recording: missing, not zero.
    assert current.dew_point is None
    assert current.precipitation is None
    assert current.cloud_cover is None
    assert current.wind_gusts is None


def test_the_recorded_daily_forecast_keeps_the_local_calendar_dates(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_json(samara_forecast())

    [report] = open_meteo.fetch([SAMARA])

    assert report.daily is not None
    assert report.daily.provider == "open-meteo"
    assert report.daily.points[0] == DailyPoint(
        date=date(2026, 9, 15),
        weather_code=3,
        temperature_max=19.8,
        temperature_min=13.3,
        precipitation_probability_max=30.0,
    )
    assert [point.date for point in report.daily.points] == [
        date(2026, 9, 15) + timedelta(days=offset) for offset in range(7)
    ]
    assert [point.weather_code for point in report.daily.points] == [3, 80, 3, 45, 45, 3, 3]
    assert report.hourly is None  # the recording asked for no hourly series


def test_the_request_asks_for_utc_seconds_named_units_and_the_locations_own_zone(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_json(samara_forecast())

    open_meteo.fetch([SAMARA])

    [(request, _response)] = httpserver.log
    assert request.args["latitude"] == "53.2"
    assert request.args["longitude"] == "50.15"
    assert request.args["timeformat"] == "unixtime"
    assert request.args["timezone"] == "Europe/Samara"
    assert request.args["wind_speed_unit"] == "ms"
    assert request.args["temperature_unit"] == "celsius"
    assert request.args["forecast_days"] == "16"
    assert {"current", "hourly", "daily"} <= set(request.args)
    assert "apikey" not in request.args


def test_the_api_key_is_sent_when_configured(httpserver: HTTPServer, clock: FakeClock) -> None:
    provider = OpenMeteoProvider(
        base_url=httpserver.url_for(FORECAST_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        api_key="secret-key",
        policy=FAST,
        clock=clock,
    )
    httpserver.expect_request(FORECAST_PATH).respond_with_json(samara_forecast())

    provider.fetch([SAMARA])

    [(request, _response)] = httpserver.log
    assert request.args["apikey"] == "secret-key"


# --- batches ---------------------------------------------------------------------------------


def test_several_locations_go_in_one_request_and_the_array_maps_back_in_order(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_handler(batch_answers)
    locations = [SAMARA, new_york(), berlin()]

    reports = open_meteo.fetch(locations)

    assert [report.location_id for report in reports] == [loc.id for loc in locations]
    assert [r.current.temperature for r in reports if r.current] == [0.0, 1.0, 2.0]
    [(request, _response)] = httpserver.log
    assert request.args["latitude"] == "53.2,40.7143,52.5244"
    assert request.args["longitude"] == "50.15,-74.006,13.4105"
    assert request.args["timezone"] == "Europe/Samara,America/New_York,Europe/Berlin"


def test_a_hundred_locations_go_in_one_request_and_more_are_refused_unasked(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    """The refresh pipeline cuts batches by `max_batch_size`; the provider does not cut again."""
    httpserver.expect_request(FORECAST_PATH).respond_with_handler(batch_answers)
    locations = locations_along_the_equator(101)

    reports = open_meteo.fetch(locations[:100])
    with pytest.raises(ValueError, match="at most 100"):
        open_meteo.fetch(locations)

    assert open_meteo.max_batch_size == 100
    assert [report.location_id for report in reports] == [loc.id for loc in locations[:100]]
    sizes = [len(request.args["latitude"].split(",")) for request, _ in httpserver.log]
    assert sizes == [100]


def test_an_answer_for_fewer_locations_than_asked_is_refused_whole(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    httpserver.expect_request(FORECAST_PATH).respond_with_json(forecast_batch(2))

    with pytest.raises(ProviderUnavailable, match="2 locations for 3 asked"):
        open_meteo.fetch([SAMARA, new_york(), berlin()])


def test_no_locations_means_no_request(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    assert open_meteo.fetch([]) == []
    assert httpserver.log == []


# --- time -----------------------------------------------------------------------------------------


def test_local_times_west_of_greenwich_become_later_utc_instants(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    answer = moved_to(samara_forecast(), timezone="America/New_York", utc_offset_seconds=-14400)
    httpserver.expect_request(FORECAST_PATH).respond_with_json(answer)

    [report] = open_meteo.fetch([new_york()])

    assert report.current is not None
    assert report.current.observed_at == utc(2026, 9, 15, 16, 0)  # 12:00 EDT


def test_unix_seconds_are_utc_instants_east_and_west_of_greenwich(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    west = moved_to(samara_forecast(), timezone="America/New_York", utc_offset_seconds=-14400)
    httpserver.expect_request(FORECAST_PATH).respond_with_json(
        [in_unixtime(samara_forecast()), in_unixtime(west)]
    )

    east_report, west_report = open_meteo.fetch([SAMARA, new_york()])

    assert east_report.current is not None
    assert west_report.current is not None
    assert east_report.current.observed_at == utc(2026, 9, 15, 8, 0)
    assert west_report.current.observed_at == utc(2026, 9, 15, 16, 0)
    assert east_report.daily is not None
    assert west_report.daily is not None
    assert east_report.daily.points[0].date == date(2026, 9, 15)
    assert west_report.daily.points[0].date == date(2026, 9, 15)


def test_hourly_times_across_the_spring_dst_change_stay_one_hour_apart_in_utc(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    # Berlin skips 02:00 on 2026-03-29; the answer's single offset (+1 h) is wrong after it.
    answer = moved_to(samara_forecast(), timezone="Europe/Berlin", utc_offset_seconds=3600)
    answer = with_hourly(
        answer,
        ["2026-03-29T00:00", "2026-03-29T01:00", "2026-03-29T03:00", "2026-03-29T04:00"],
        temperature_2m=[1.0, 2.0, 3.0, 4.0],
    )
    httpserver.expect_request(FORECAST_PATH).respond_with_json(answer)

    [report] = open_meteo.fetch([berlin()])

    assert report.hourly is not None
    assert [point.time for point in report.hourly.points] == [
        utc(2026, 3, 28, 23),
        utc(2026, 3, 29, 0),
        utc(2026, 3, 29, 1),
        utc(2026, 3, 29, 2),
    ]


def test_daily_dates_in_unix_seconds_stay_local_dates_across_the_dst_change(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    answer = moved_to(samara_forecast(), timezone="Europe/Berlin", utc_offset_seconds=3600)
    answer["daily"]["time"] = [f"2026-03-{day}" for day in range(27, 34 - 0)][:7]
    answer["daily"]["time"] = [
        (date(2026, 3, 27) + timedelta(days=d)).isoformat() for d in range(7)
    ]
    httpserver.expect_request(FORECAST_PATH).respond_with_json(in_unixtime(answer))

    [report] = open_meteo.fetch([berlin()])

    assert report.daily is not None
    assert [point.date for point in report.daily.points] == [
        date(2026, 3, 27) + timedelta(days=offset) for offset in range(7)
    ]


# --- values ---------------------------------------------------------------------------------------


def test_nulls_in_any_series_are_missing_values_not_zeros(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    answer = in_unixtime(
        with_hourly(
            samara_forecast(),
            ["2026-09-15T12:00", "2026-09-15T13:00", "2026-09-15T14:00"],
            temperature_2m=[18.5, None, 17.9],
            precipitation=[None, 0.0, 0.4],
            weather_code=[3, None, 61],
            wind_speed_10m=[3.0, None, 5.0],
        )
    )
    answer["current"]["temperature_2m"] = None
    answer["daily"]["temperature_2m_max"][1] = None
    httpserver.expect_request(FORECAST_PATH).respond_with_json(answer)

    [report] = open_meteo.fetch([SAMARA])

    assert report.current is not None
    assert report.current.temperature is None
    assert report.hourly is not None
    first, second, third = report.hourly.points
    assert (first.temperature, second.temperature, third.temperature) == (18.5, None, 17.9)
    assert (first.precipitation, second.precipitation) == (None, 0.0)
    assert (second.weather_code, second.condition) == (None, None)
    assert second.wind_speed is None
    assert third.wind_speed == pytest.approx(18.0)
    assert report.daily is not None
    assert report.daily.points[1].temperature_max is None


def test_a_unit_other_than_the_one_asked_for_is_refused(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    answer = samara_forecast()
    answer["current_units"]["wind_speed_10m"] = "km/h"
    httpserver.expect_request(FORECAST_PATH).respond_with_json(answer)

    with pytest.raises(ProviderUnavailable, match=r"wind_speed_10m came in 'km/h'.*'m/s'"):
        open_meteo.fetch([SAMARA])


def test_a_temperature_in_fahrenheit_is_refused_rather_than_stored_as_celsius(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    answer = samara_forecast()
    answer["daily_units"]["temperature_2m_max"] = "°F"
    httpserver.expect_request(FORECAST_PATH).respond_with_json(answer)

    with pytest.raises(ProviderUnavailable, match="°F"):
        open_meteo.fetch([SAMARA])


def test_an_impossible_reading_is_a_provider_failure(
    httpserver: HTTPServer, open_meteo: OpenMeteoProvider
) -> None:
    answer = samara_forecast()
    answer["current"]["relative_humidity_2m"] = 780
    httpserver.expect_request(FORECAST_PATH).respond_with_json(answer)

    with pytest.raises(ProviderUnavailable, match="relative_humidity"):
        open_meteo.fetch([SAMARA])


# --- geocoding ------------------------------------------------------------------------------------


def test_the_recorded_search_becomes_places_best_match_first(
    httpserver: HTTPServer, geocoder: OpenMeteoGeocoder
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(
        fixture("open-meteo/geocoding_samara.json")
    )

    places = geocoder.search("Samara", 10)

    assert len(places) == 6
    assert places[0] == Place(
        name="Samara",
        coordinates=Coordinates(53.2077, 50.1355),
        country_code="RU",
        admin1="Samara Oblast",
        elevation=107.0,
        timezone="Europe/Samara",
        population=1163399,
    )
    assert places[4].name == "Sámara"
    assert places[5].population is None  # the key is absent for Thamara, not null
    [(request, _response)] = httpserver.log
    assert request.args["name"] == "Samara"
    assert request.args["count"] == "10"
    assert request.args["language"] == "en"
    assert request.args["format"] == "json"


def test_a_search_without_a_results_key_finds_nothing(
    httpserver: HTTPServer, geocoder: OpenMeteoGeocoder
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(
        fixture("open-meteo/geocoding_no_match.json")
    )

    assert geocoder.search("Xyzzyville", 5) == []


def test_a_search_returns_at_most_count_places(
    httpserver: HTTPServer, geocoder: OpenMeteoGeocoder
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(
        fixture("open-meteo/geocoding_samara.json")
    )

    assert [place.name for place in geocoder.search("Samara", 2)] == ["Samara", "Debre Tabor"]


def test_one_odd_geocoding_entry_is_skipped_not_the_whole_search(
    httpserver: HTTPServer, geocoder: OpenMeteoGeocoder
) -> None:
    answer = fixture("open-meteo/geocoding_samara.json")
    answer["results"][1]["country_code"] = "ETH"  # not ISO 3166-1 alpha-2
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(answer)

    names = [place.name for place in geocoder.search("Samara", 10)]

    assert names == ["Samara", "Semera", "Samaro", "Sámara", "Thamara"]


def test_a_geocoder_that_is_down_is_unavailable_not_empty(
    httpserver: HTTPServer, geocoder: OpenMeteoGeocoder
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_data("down", status=503)

    with pytest.raises(ProviderUnavailable):
        geocoder.search("Samara", 5)


# --- archive --------------------------------------------------------------------------------------


def archive_days(request: Request) -> Response:
    """Every hour of the asked UTC days; the last five hours not computed yet (null)."""
    start = date.fromisoformat(request.args["start_date"])
    end = date.fromisoformat(request.args["end_date"])
    hours = ((end - start).days + 1) * 24
    first = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    body = archive_answer(first, hours, missing_tail=5)
    return Response(json.dumps(body), content_type="application/json")


def test_the_archive_gives_hourly_readings_of_local_days_leaving_out_uncomputed_hours(
    httpserver: HTTPServer, archive: OpenMeteoArchive
) -> None:
    """Samara is UTC+4: its 1 and 2 September are 20:00 UTC on 31 August to 20:00 on the 2nd,
    asked as the UTC days 31 August to 2 September; the stub has not computed 19:00 to 23:00
    UTC of the 2nd, so the last local hour is missing."""
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(archive_days)

    readings = archive.fetch_history(SAMARA, date(2026, 9, 1), date(2026, 9, 2))

    assert len(readings) == 48 - 1
    first = readings[0]
    assert first.observed_at == utc(2026, 8, 31, 20)
    assert first.provider == "open-meteo-archive"
    assert first.location_id == SAMARA.id
    assert first.fetched_at == FETCHED_AT
    # the stub's values follow the UTC hour: 20 °C, 70 % and 21 m/s at 20:00
    assert (first.temperature, first.relative_humidity) == (20.0, 70.0)
    assert first.wind_speed == pytest.approx(21 * 3.6)
    assert first.weather_code is None  # not in this answer: missing
    assert readings[-1].observed_at == utc(2026, 9, 2, 18)
    [(request, _response)] = httpserver.log
    assert request.args["timezone"] == "GMT"
    assert request.args["timeformat"] == "unixtime"
    assert (request.args["start_date"], request.args["end_date"]) == ("2026-08-31", "2026-09-02")


def answer_every_hour(request: Request) -> Response:
    status, body = archive_hours(request.args)
    return Response(json.dumps(body), status=status, content_type="application/json")


@pytest.mark.parametrize(
    ("timezone", "asked", "first", "after_last"),
    [
        ("Europe/Paris", ("2026-10-23", "2026-10-26"), utc(2026, 10, 23, 22),
         utc(2026, 10, 26, 23)),
        ("Pacific/Kiritimati", ("2026-10-23", "2026-10-26"), utc(2026, 10, 23, 10),
         utc(2026, 10, 26, 10)),
        ("America/Los_Angeles", ("2026-10-24", "2026-10-27"), utc(2026, 10, 24, 7),
         utc(2026, 10, 27, 7)),
        ("UTC", ("2026-10-24", "2026-10-26"), utc(2026, 10, 24), utc(2026, 10, 27)),
    ],
    ids=["paris", "kiritimati", "los-angeles", "utc"],
)  # fmt: skip
def test_local_days_are_asked_as_the_utc_days_covering_them_and_cut_at_local_midnight(
    httpserver: HTTPServer,
    archive: OpenMeteoArchive,
    clock: FakeClock,
    timezone: str,
    asked: tuple[str, str],
    first: datetime,
    after_last: datetime,
) -> None:
    """Never in the location's zone: the API would use one offset, today's, for every hour."""
    clock.set(utc(2026, 12, 1))
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(answer_every_hour)
    location = a_location(name=timezone, timezone=timezone)

    readings = archive.fetch_history(location, date(2026, 10, 24), date(2026, 10, 26))

    [(request, _response)] = httpserver.log
    assert (request.args["start_date"], request.args["end_date"]) == asked
    assert request.args["timezone"] == "GMT"
    instants = [reading.observed_at for reading in readings]
    assert (instants[0], instants[-1] + timedelta(hours=1)) == (first, after_last)
    assert len(instants) == (after_last - first) // timedelta(hours=1)


def test_no_utc_day_after_the_clock_s_is_asked_for(
    httpserver: HTTPServer, archive: OpenMeteoArchive, clock: FakeClock
) -> None:
    """Noon in Los Angeles on 24 November is 20:00 UTC: its today reaches into UTC's 25th, which
    no archive has yet; its tomorrow has not begun, so it costs no request at all."""
    clock.set(utc(2026, 11, 24, 20))
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(answer_every_hour)
    los_angeles = a_location(
        name="Los Angeles", coordinates=Coordinates(34.05, -118.24), timezone="America/Los_Angeles"
    )

    today = archive.fetch_history(los_angeles, date(2026, 11, 24), date(2026, 11, 24))
    tomorrow = archive.fetch_history(los_angeles, date(2026, 11, 25), date(2026, 11, 25))

    [(request, _response)] = httpserver.log
    assert (request.args["start_date"], request.args["end_date"]) == ("2026-11-24", "2026-11-24")
    assert [reading.observed_at for reading in today] == [
        utc(2026, 11, 24, hour) for hour in range(8, 24)
    ]
    assert tomorrow == []


def test_a_long_archive_range_is_fetched_in_chunks_of_local_days(
    httpserver: HTTPServer, clock: FakeClock
) -> None:
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(archive_days)
    archive = OpenMeteoArchive(
        base_url=httpserver.url_for(ARCHIVE_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        chunk_days=31,
        policy=FAST,
        clock=clock,
    )

    readings = archive.fetch_history(SAMARA, date(2026, 1, 1), date(2026, 3, 11))

    ranges = [(r.args["start_date"], r.args["end_date"]) for r, _ in httpserver.log]
    assert ranges == [  # each chunk's local days, from 20:00 UTC of the day before
        ("2025-12-31", "2026-01-31"),
        ("2026-01-31", "2026-03-03"),
        ("2026-03-03", "2026-03-11"),
    ]
    assert len(readings) == 70 * 24 - 3  # each answer's last computed hour is 18:00 UTC
    assert len({reading.observed_at for reading in readings}) == len(readings)


def test_an_archive_answer_without_hourly_data_is_a_provider_failure(
    httpserver: HTTPServer, archive: OpenMeteoArchive
) -> None:
    answer = archive_answer(utc(2026, 9, 1), 24)
    broken = copy.deepcopy(answer)
    del broken["hourly"]
    httpserver.expect_request(ARCHIVE_PATH).respond_with_json(broken)

    with pytest.raises(ProviderUnavailable, match="hourly is missing"):
        archive.fetch_history(SAMARA, date(2026, 9, 1), date(2026, 9, 1))
