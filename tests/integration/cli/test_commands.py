"""The management commands of CONTRACT §5: each one's happy path, and its bad arguments (one line
on stderr, exit code 2)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from dependency_injector import providers
from django.core.management import call_command
from django.core.management.base import CommandError

from adapters.in_memory.clock import FakeClock
from adapters.in_memory.providers import FakeGeocoder, FakeHistoryProvider, FakeWeatherProvider
from adapters.in_memory.task_queue import FakeTaskQueue
from application.use_cases.register_location import RegisterLocationCommand
from domain.locations import Coordinates, Location, Place
from server_config.container import container
from tests.support.processes import child_environment, run_manage

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


@pytest.fixture
def fakes() -> Iterator[dict[str, object]]:
    doubles: dict[str, object] = {
        "geocoder": FakeGeocoder(
            [
                Place(
                    name="Samara",
                    coordinates=Coordinates(53.2001, 50.15),
                    country_code="RU",
                    admin1="Samara Oblast",
                    elevation=137.0,
                    timezone="Europe/Samara",
                    population=1_134_730,
                )
            ]
        ),
        "history_provider": FakeHistoryProvider(),
        "task_queue": FakeTaskQueue(),
    }
    weather = FakeWeatherProvider(FakeClock(NOW))
    for name, double in doubles.items():
        getattr(container, name).override(providers.Object(double))
    container.weather_providers.override(providers.Object([weather]))
    doubles["weather"] = weather
    yield doubles
    for name in ("geocoder", "history_provider", "task_queue", "weather_providers"):
        getattr(container, name).reset_override()


def add_location() -> uuid.UUID:
    command = RegisterLocationCommand(name="Kassel", latitude=51.3, longitude=9.5)
    return container.register_location().execute(command).id


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_add_location_stores_the_best_match_with_its_timezone(fakes: dict[str, object]) -> None:
    output = run("add_location", "samara")

    [location] = _all_locations()
    assert (location.name, location.timezone, location.country_code) == (
        "Samara",
        "Europe/Samara",
        "RU",
    )
    assert str(location.id) in output
    assert "Samara Oblast, RU" in output


def _all_locations() -> list[Location]:
    with container.unit_of_work() as uow:
        return list(uow.locations.all())


@pytest.mark.django_db
def test_add_location_without_a_match_is_an_error(fakes: dict[str, object]) -> None:
    with pytest.raises(CommandError, match="No place matches 'Atlantis'") as error:
        run("add_location", "Atlantis")

    assert error.value.returncode == 1
    assert _all_locations() == []


@pytest.mark.django_db
def test_add_location_with_an_empty_name_exits_2(fakes: dict[str, object]) -> None:
    with pytest.raises(CommandError) as error:
        run("add_location", "  ")

    assert error.value.returncode == 2


@pytest.mark.django_db
def test_refresh_weather_queues_a_task_and_prints_its_id(fakes: dict[str, object]) -> None:
    location_id = add_location()
    queue = fakes["task_queue"]
    assert isinstance(queue, FakeTaskQueue)

    one = run("refresh_weather", "--location", str(location_id)).strip()
    every = run("refresh_weather").strip()

    assert [task.task_id for task in queue.queued] == [one, every]
    assert queue.names() == ["refresh_location", "refresh_all"]


@pytest.mark.django_db
def test_refresh_weather_sync_runs_the_refresh_here(fakes: dict[str, object]) -> None:
    location_id = add_location()

    one = json.loads(run("refresh_weather", "--location", str(location_id), "--sync"))
    every = json.loads(run("refresh_weather", "--sync"))

    assert one == {
        "location_id": str(location_id),
        "provider": "fake-weather",
        "observations_stored": 1,
    }
    assert every["locations_refreshed"] == 1
    assert every["observations_stored"] == 0  # the same reading again is not news
    assert fakes["task_queue"].queued == []  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_refresh_weather_of_an_unknown_location_exits_2(fakes: dict[str, object]) -> None:
    with pytest.raises(CommandError, match="was not found") as error:
        run("refresh_weather", "--location", str(uuid.uuid4()), "--sync")

    assert error.value.returncode == 2


@pytest.mark.django_db
def test_backfill_history_prints_plain_progress_lines_off_a_terminal(
    fakes: dict[str, object],
) -> None:
    location_id = add_location()

    output = run(
        "backfill_history",
        "--location",
        str(location_id),
        "--start",
        "2026-01-01",
        "--end",
        "2026-02-15",
    )

    assert output.splitlines() == [
        "backfill: 31/46 days",
        "backfill: 46/46 days",
        f"Stored {46 * 24} observations over 46 days from fake-archive for location {location_id}.",
    ]


@pytest.mark.django_db
def test_backfill_history_with_a_reversed_range_exits_2(fakes: dict[str, object]) -> None:
    location_id = add_location()

    with pytest.raises(CommandError) as error:
        run(
            "backfill_history",
            *("--location", str(location_id), "--start", "2026-02-01", "--end", "2026-01-01"),
        )

    assert error.value.returncode == 2


@pytest.mark.parametrize(
    "arguments",
    [
        ("refresh_weather", "--location", "not-a-uuid"),
        (
            "backfill_history",
            "--location",
            str(uuid.UUID(int=1)),
            "--start",
            "2026-13-01",
            "--end",
            "2026-12-31",
        ),
        ("backfill_history", "--start", "2026-01-01", "--end", "2026-01-02"),
        ("add_location",),
    ],
    ids=["bad-location-id", "bad-date", "missing-location", "missing-name"],
)
def test_bad_arguments_give_one_line_and_exit_code_2(
    tmp_path: Path, arguments: tuple[str, ...]
) -> None:
    finished = run_manage(child_environment(tmp_path), *arguments)

    assert finished.returncode == 2, finished.stderr
    assert finished.stderr.strip().splitlines()[-1].startswith("manage.py")
    assert "Traceback" not in finished.stderr
