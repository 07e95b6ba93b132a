"""`backfill_history` by the location's local days, end to end: the command, the use case, the
real Open-Meteo archive client against a local stub that answers every hour it is asked for in the
archive's format, the database, then the daily summaries as the API serves them
(`GET /api/v1/locations/{id}/weather/daily/`). A day the backfill fills summarises all its hours:
24, or 23 and 25 when the clocks change, fewer only where the archive itself has no value."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO

import pytest
from dependency_injector import providers
from django.core.management import call_command
from django.core.management.base import CommandError
from pytest_httpserver import HTTPServer
from rest_framework.test import APIClient
from werkzeug import Request, Response

from adapters.providers.open_meteo import OpenMeteoArchive
from application.use_cases.register_location import RegisterLocationCommand
from server_config.container import container
from tests.support.fakes.clock import FakeClock
from tests.support.provider_answers import ARCHIVE_PATH, archive_hours
from tests.support.provider_stubs import FAST, TIMEOUT_SECONDS

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
"""06:05 on the 24th in Los Angeles, 04:05 on the 25th in Kiritimati."""

PLACES = {
    "Europe/Paris": (48.8534, 2.3488),
    "Pacific/Kiritimati": (1.8721, -157.4278),
    "America/Los_Angeles": (34.0522, -118.2437),
}


class ArchiveStub:
    """The archive on the local stub server; it has computed every hour before `computed_until`
    (every hour asked for when `None`)."""

    def __init__(self, httpserver: HTTPServer) -> None:
        self.computed_until: datetime | None = None
        self._server = httpserver
        httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(self._answer)

    def _answer(self, request: Request) -> Response:
        status, body = archive_hours(request.args, computed_until=self.computed_until)
        return Response(json.dumps(body), status=status, content_type="application/json")

    def requests(self) -> list[tuple[str, str, str]]:
        return [
            (r.args["start_date"], r.args["end_date"], r.args["timezone"])
            for r, _ in self._server.log
            if r.path == ARCHIVE_PATH
        ]


@pytest.fixture
def archive(httpserver: HTTPServer) -> Iterator[ArchiveStub]:
    """The container's history provider is the real archive client, talking to the stub."""
    clock = FakeClock(NOW)
    client = OpenMeteoArchive(
        base_url=httpserver.url_for(ARCHIVE_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        policy=FAST,
        clock=clock,
    )
    container.history_provider.override(providers.Object(client))
    container.clock.override(providers.Object(clock))
    yield ArchiveStub(httpserver)
    container.history_provider.reset_override()
    container.clock.reset_override()


def a_location_in(timezone: str) -> uuid.UUID:
    latitude, longitude = PLACES[timezone]
    command = RegisterLocationCommand(
        name=timezone.split("/")[-1], latitude=latitude, longitude=longitude, timezone=timezone
    )
    return container.register_location().execute(command).id


def backfill(location_id: uuid.UUID, start: str, end: str) -> list[str]:
    out = StringIO()
    call_command(
        "backfill_history",
        *("--location", str(location_id), "--start", start, "--end", end),
        stdout=out,
    )
    return out.getvalue().splitlines()


def refused(location_id: uuid.UUID, start: str, end: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        backfill(location_id, start, end)
    return raised.value


def daily_hours(location_id: uuid.UUID, start: str, end: str) -> dict[str, int]:
    """Observations per local day, as the API's daily summaries count them."""
    answer = APIClient().get(
        f"/api/v1/locations/{location_id}/weather/daily/", {"start": start, "end": end}
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["location_id"] == str(location_id)
    return {day["date"]: day["observation_count"] for day in body["results"]}


@pytest.mark.django_db
def test_a_backfill_of_24_to_26_october_in_paris_summarises_24_25_and_24_hours(
    archive: ArchiveStub,
) -> None:
    paris = a_location_in("Europe/Paris")

    output = backfill(paris, "2026-10-24", "2026-10-26")

    assert output == [
        "backfill: 1/3 days, 2026-10-24 stored (24 observations so far)",
        "backfill: 2/3 days, 2026-10-25 stored (49 observations so far)",
        "backfill: 3/3 days, 2026-10-26 stored (73 observations so far)",
        f"Stored 73 observations over 3 days from open-meteo-archive for location {paris}.",
    ]
    assert daily_hours(paris, "2026-10-24", "2026-10-26") == {
        "2026-10-24": 24,
        "2026-10-25": 25,
        "2026-10-26": 24,
    }
    # One request, for the UTC days covering the local ones: 22:00 UTC on the 23rd to 23:00 UTC
    # on the 26th.
    assert archive.requests() == [("2026-10-23", "2026-10-26", "GMT")]
    # Nothing outside the local days was stored: the days around them have no summary.
    assert daily_hours(paris, "2026-10-23", "2026-10-27") == {
        "2026-10-24": 24,
        "2026-10-25": 25,
        "2026-10-26": 24,
    }


@pytest.mark.parametrize(
    ("timezone", "start", "end", "hours"),
    [
        ("Europe/Paris", "2026-03-29", "2026-03-29", {"2026-03-29": 23}),
        ("Pacific/Kiritimati", "2026-10-24", "2026-10-26",
         {"2026-10-24": 24, "2026-10-25": 24, "2026-10-26": 24}),
        ("America/Los_Angeles", "2026-10-31", "2026-11-02",
         {"2026-10-31": 24, "2026-11-01": 25, "2026-11-02": 24}),
        ("America/Los_Angeles", "2026-03-08", "2026-03-08", {"2026-03-08": 23}),
    ],
    ids=["paris-spring", "kiritimati-utc+14", "los-angeles-autumn", "los-angeles-spring"],
)  # fmt: skip
@pytest.mark.django_db
def test_every_local_day_is_summarised_whole_east_and_west_of_greenwich(
    archive: ArchiveStub, timezone: str, start: str, end: str, hours: dict[str, int]
) -> None:
    location_id = a_location_in(timezone)

    output = backfill(location_id, start, end)

    assert output[-1].startswith(f"Stored {sum(hours.values())} observations over {len(hours)}")
    assert daily_hours(location_id, start, end) == hours
    assert len(archive.requests()) == 1


@pytest.mark.django_db
def test_a_day_is_short_only_where_the_archive_has_no_value(archive: ArchiveStub) -> None:
    """The archive has computed Paris up to 12:00 UTC on 26 October: 13 hours of that day."""
    paris = a_location_in("Europe/Paris")
    archive.computed_until = datetime(2026, 10, 26, 12, tzinfo=UTC)

    backfill(paris, "2026-10-24", "2026-10-26")

    assert daily_hours(paris, "2026-10-24", "2026-10-26") == {
        "2026-10-24": 24,
        "2026-10-25": 25,
        "2026-10-26": 13,
    }


@pytest.mark.django_db
def test_backfilling_again_stores_nothing_twice_and_fills_what_the_archive_has_since_computed(
    archive: ArchiveStub,
) -> None:
    paris = a_location_in("Europe/Paris")
    archive.computed_until = datetime(2026, 10, 26, 12, tzinfo=UTC)
    backfill(paris, "2026-10-24", "2026-10-26")
    archive.computed_until = None

    output = backfill(paris, "2026-10-24", "2026-10-26")

    assert output[-1] == (
        f"Stored 11 observations over 3 days from open-meteo-archive for location {paris}."
    )
    assert daily_hours(paris, "2026-10-24", "2026-10-26") == {
        "2026-10-24": 24,
        "2026-10-25": 25,
        "2026-10-26": 24,
    }


@pytest.mark.django_db
def test_a_date_after_the_location_s_today_exits_2_without_asking_the_archive(
    archive: ArchiveStub,
) -> None:
    """At 14:05 UTC on the 24th, the 25th has begun in Kiritimati but not in Los Angeles."""
    los_angeles = a_location_in("America/Los_Angeles")
    kiritimati = a_location_in("Pacific/Kiritimati")

    west = refused(los_angeles, "2026-11-24", "2026-11-25")
    east = refused(kiritimati, "2026-11-26", "2026-11-26")

    assert (west.returncode, str(west)) == (
        2,
        "argument --end: must not be after today (2026-11-24, America/Los_Angeles).",
    )
    assert (east.returncode, str(east)) == (
        2,
        "argument --start: must not be after today (2026-11-25, Pacific/Kiritimati).",
    )
    assert archive.requests() == []
    # Kiritimati's today may be asked for; its hours up to now are all the archive can have.
    archive.computed_until = NOW
    backfill(kiritimati, "2026-11-25", "2026-11-25")
    assert daily_hours(kiritimati, "2026-11-25", "2026-11-25") == {"2026-11-25": 5}
    assert archive.requests() == [("2026-11-24", "2026-11-24", "GMT")]
