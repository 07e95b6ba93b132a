"""The `WeatherProvider` contract, written once and run against every implementation: Open-Meteo
and MET Norway (each against a stub server) and the in-memory fake the unit tests rely on, so
the fake cannot promise what the real providers do not keep."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.providers.met_norway import MetNorwayProvider
from application.ports.providers import WeatherProvider
from domain.errors import ProviderUnavailable
from domain.locations import Coordinates
from tests.support.builders import a_location, berlin, new_york
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeWeatherProvider
from tests.support.provider_answers import (
    FORECAST_PATH,
    MET_PATH,
    forecast_batch,
    in_unixtime,
    met_series,
)

NOW = datetime(2026, 9, 15, 8, 5, tzinfo=UTC)


@attrs.frozen
class Subject:
    """A provider under test and the way to make its source fail."""

    provider: WeatherProvider
    break_source: Callable[[], None]


def open_meteo_answers(request: Request) -> Response:
    count = len(request.args["latitude"].split(","))
    answers = [in_unixtime(answer) for answer in forecast_batch(count)]
    return Response(
        json.dumps(answers if count > 1 else answers[0]), content_type="application/json"
    )


def met_norway_answer() -> dict[str, object]:
    first = NOW.replace(minute=0)
    return met_series(
        [(first + timedelta(hours=hour), 10.0 + hour, "cloudy", 0.0) for hour in range(6)]
    )


def fail_everything(server: HTTPServer) -> Callable[[], None]:
    def fail() -> None:
        server.clear()
        server.expect_request(re.compile(".*")).respond_with_data("down", status=503)

    return fail


@pytest.fixture(params=["open-meteo", "met-norway", "in-memory fake"])
def subject(request: pytest.FixtureRequest, httpserver: HTTPServer, clock: FakeClock) -> Subject:
    clock.set(NOW)
    if request.param == "open-meteo":
        httpserver.expect_request(FORECAST_PATH).respond_with_handler(open_meteo_answers)
        provider: WeatherProvider = request.getfixturevalue("open_meteo")
        return Subject(provider, fail_everything(httpserver))
    if request.param == "met-norway":
        httpserver.expect_request(MET_PATH).respond_with_json(met_norway_answer())
        met: MetNorwayProvider = request.getfixturevalue("met_norway")
        return Subject(met, fail_everything(httpserver))
    fake = FakeWeatherProvider(clock)
    return Subject(fake, fake.fail)


LOCATIONS = (a_location, new_york, berlin)


def test_it_answers_one_report_per_location_in_the_order_asked(subject: Subject) -> None:
    locations = [make() for make in LOCATIONS]

    reports = subject.provider.fetch(locations)

    assert [report.location_id for report in reports] == [loc.id for loc in locations]


def test_every_reading_it_gives_is_stamped_with_its_name_and_utc_instants(
    subject: Subject,
) -> None:
    [report] = subject.provider.fetch([new_york()])

    assert report.current is not None
    assert report.current.location_id == report.location_id
    assert report.current.provider == subject.provider.name
    assert report.current.observed_at.utcoffset() == timedelta(0)
    assert report.current.fetched_at.utcoffset() == timedelta(0)
    for forecast in (report.hourly, report.daily):
        assert forecast is not None
        assert forecast.location_id == report.location_id
        assert forecast.provider == subject.provider.name
        assert forecast.points
    assert report.hourly is not None
    assert all(point.time.utcoffset() == timedelta(0) for point in report.hourly.points)


def test_it_answers_nothing_for_no_locations(subject: Subject) -> None:
    assert list(subject.provider.fetch([])) == []


def test_it_accepts_a_batch_as_large_as_it_announces(subject: Subject) -> None:
    size = min(subject.provider.max_batch_size, 25)
    locations = [
        a_location(
            name=f"Point {index}",
            coordinates=Coordinates(10.0 + index * 0.01, 20.0),
            timezone="UTC",
            elevation=None,
        )
        for index in range(size)
    ]

    assert len(subject.provider.fetch(locations)) == size


def test_it_raises_provider_unavailable_rather_than_answer_partially(subject: Subject) -> None:
    subject.break_source()

    with pytest.raises(ProviderUnavailable) as failure:
        subject.provider.fetch([a_location(), new_york()])

    assert failure.value.provider == subject.provider.name
