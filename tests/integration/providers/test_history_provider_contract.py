"""The `HistoryProvider` contract, written once and run against every implementation: Open-Meteo's
archive (against a stub server answering every hour it is asked for, in the archive's format) and
the in-memory fake the unit and command tests rely on, so that the fake cannot promise what the
archive does not keep. The promise: the readings of the location's local days, as UTC instants,
24 an hour a day (23 or 25 when the clocks change), nothing of another day, nothing twice."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.providers.open_meteo import OpenMeteoArchive
from application.ports.providers import HistoryProvider
from domain.aggregation import local_date, local_day_bounds
from domain.errors import ProviderUnavailable
from domain.locations import Location
from tests.support.builders import a_location
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeHistoryProvider
from tests.support.provider_answers import ARCHIVE_PATH, archive_hours
from tests.support.provider_stubs import FAST, TIMEOUT_SECONDS

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""After every day asked for here: the archive asks for nothing after now."""


@attrs.frozen
class Subject:
    """A history provider under test, how to make its source fail, and how to make it an
    archive that has computed the hours before an instant only."""

    provider: HistoryProvider
    break_source: Callable[[], None]
    leave_out_from: Callable[[datetime], None]


def open_meteo_archive(httpserver: HTTPServer) -> Subject:
    computed_until: list[datetime] = []

    def answer(request: Request) -> Response:
        status, body = archive_hours(
            request.args, computed_until=computed_until[-1] if computed_until else None
        )
        return Response(json.dumps(body), status=status, content_type="application/json")

    def fail() -> None:
        httpserver.clear()
        httpserver.expect_request(re.compile(".*")).respond_with_data("down", status=503)

    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(answer)
    archive = OpenMeteoArchive(
        base_url=httpserver.url_for(ARCHIVE_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        policy=FAST,
        clock=FakeClock(NOW),
    )
    return Subject(archive, fail, computed_until.append)


@pytest.fixture(params=["open-meteo archive", "in-memory fake"])
def subject(request: pytest.FixtureRequest, httpserver: HTTPServer) -> Subject:
    if request.param == "open-meteo archive":
        return open_meteo_archive(httpserver)
    fake = FakeHistoryProvider()
    return Subject(fake, fake.fail, fake.leave_out_from)


def in_zone(timezone: str) -> Location:
    return a_location(name=timezone, timezone=timezone)


def hours_per_local_day(location: Location, instants: list[datetime]) -> dict[date, int]:
    return dict(sorted(Counter(local_date(at, location.timezone) for at in instants).items()))


def days(start: date, hours: list[int]) -> dict[date, int]:
    return {start + timedelta(days=offset): count for offset, count in enumerate(hours)}


@pytest.mark.parametrize(
    ("timezone", "start", "end", "hours"),
    [
        ("Europe/Paris", date(2026, 10, 24), date(2026, 10, 26), [24, 25, 24]),
        ("Europe/Paris", date(2026, 3, 29), date(2026, 3, 29), [23]),
        ("Pacific/Kiritimati", date(2026, 10, 24), date(2026, 10, 26), [24, 24, 24]),
        ("America/Los_Angeles", date(2026, 10, 31), date(2026, 11, 2), [24, 25, 24]),
        ("America/Los_Angeles", date(2026, 3, 8), date(2026, 3, 9), [23, 24]),
        ("Asia/Kolkata", date(2026, 10, 24), date(2026, 10, 25), [24, 24]),
        ("UTC", date(2026, 10, 24), date(2026, 10, 24), [24]),
    ],
    ids=["paris-autumn", "paris-spring", "kiritimati", "los-angeles-autumn", "los-angeles-spring",
         "kolkata", "utc"],
)  # fmt: skip
def test_it_gives_every_hour_of_the_location_s_local_days_and_none_of_another(
    subject: Subject, timezone: str, start: date, end: date, hours: list[int]
) -> None:
    location = in_zone(timezone)

    readings = subject.provider.fetch_history(location, start, end)

    instants = [reading.observed_at for reading in readings]
    assert hours_per_local_day(location, instants) == days(start, hours)
    since, _ = local_day_bounds(start, timezone)
    _, until = local_day_bounds(end, timezone)
    assert all(since <= at < until for at in instants)
    assert len(set(instants)) == len(instants)


def test_every_reading_is_of_the_location_from_this_provider_at_a_utc_hour(
    subject: Subject,
) -> None:
    location = in_zone("Europe/Paris")

    readings = subject.provider.fetch_history(location, date(2026, 10, 25), date(2026, 10, 25))

    assert readings
    for reading in readings:
        assert reading.location_id == location.id
        assert reading.provider == subject.provider.name
        assert reading.observed_at.utcoffset() == timedelta(0)
        assert reading.observed_at.minute == reading.observed_at.second == 0
        assert reading.fetched_at.utcoffset() == timedelta(0)
        assert reading.temperature is not None


def test_a_range_longer_than_a_month_gives_every_hour_once(subject: Subject) -> None:
    """90 days of Paris across the spring change: one hour short of 90 × 24."""
    location = in_zone("Europe/Paris")

    readings = subject.provider.fetch_history(location, date(2026, 2, 1), date(2026, 5, 1))

    instants = [reading.observed_at for reading in readings]
    assert len(instants) == len(set(instants)) == 90 * 24 - 1
    assert min(instants) == datetime(2026, 1, 31, 23, tzinfo=UTC)
    assert max(instants) == datetime(2026, 5, 1, 21, tzinfo=UTC)


def test_hours_the_archive_has_not_computed_are_left_out_not_given_empty(
    subject: Subject,
) -> None:
    location = in_zone("Europe/Paris")
    subject.leave_out_from(datetime(2026, 10, 26, 12, tzinfo=UTC))

    readings = subject.provider.fetch_history(location, date(2026, 10, 24), date(2026, 10, 26))

    instants = [reading.observed_at for reading in readings]
    assert hours_per_local_day(location, instants) == days(date(2026, 10, 24), [24, 25, 13])
    assert all(reading.temperature is not None for reading in readings)


def test_it_raises_provider_unavailable_when_its_source_fails(subject: Subject) -> None:
    subject.break_source()

    with pytest.raises(ProviderUnavailable):
        subject.provider.fetch_history(
            in_zone("Europe/Paris"), date(2026, 10, 24), date(2026, 10, 26)
        )
