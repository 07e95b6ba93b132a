"""The management commands of CONTRACT §5 through `call_command`, with every provider faked: what
each prints, what it stores, and the exit code it fails with (2 for the user's mistakes, 1 for the
system's). `test_command_line.py` runs the same commands as real processes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from io import StringIO

import attrs
import pytest
from dependency_injector import providers
from django.core.management import call_command
from django.core.management.base import CommandError

from adapters.cli.base_command import CliCommand
from application.ports.rate_budget import ProviderLimits
from application.use_cases.register_location import RegisterLocationCommand
from domain.errors import Forbidden
from domain.locations import NAME_MAX_LENGTH, Coordinates, Location, Place
from server_config.container import container
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeGeocoder, FakeHistoryProvider, FakeWeatherProvider
from tests.support.fakes.rate_budget import InMemoryRateBudget
from tests.support.fakes.task_queue import FakeTaskQueue

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


def a_place(name: str, admin1: str, country: str, lat: float, lon: float, **more: object) -> Place:
    fields: dict[str, object] = {"elevation": 100.0, "timezone": "UTC", "population": None}
    fields.update(more)
    return Place(
        name=name,
        coordinates=Coordinates(lat, lon),
        country_code=country,
        admin1=admin1,
        **fields,  # type: ignore[arg-type]
    )


SAMARA = a_place(
    "Samara",
    "Samara Oblast",
    "RU",
    53.2001,
    50.15,
    elevation=137.0,
    timezone="Europe/Samara",
    population=1_134_730,
)
PARISES = [  # best match first, as the geocoder ranks them
    a_place("Paris", "Île-de-France", "FR", 48.85341, 2.3488, timezone="Europe/Paris",
            population=2_138_551),
    a_place("Paris", "Texas", "US", 33.66094, -95.55551, timezone="America/Chicago",
            population=24_171),
    a_place("Paris", "Ontario", "CA", 43.2, -80.38333, timezone="America/Toronto",
            population=12_310),
    a_place("Paris", "Tennessee", "US", 36.302, -88.32671, timezone="America/Chicago",
            population=10_156),
]  # fmt: skip


class CountingGeocoder(FakeGeocoder):
    """Also remembers how many matches each search asked for."""

    def __init__(self, places: Sequence[Place]) -> None:
        super().__init__(places)
        self.counts: list[int] = []

    def search(self, name: str, count: int) -> Sequence[Place]:
        self.counts.append(count)
        return super().search(name, count)


@attrs.define
class Fakes:
    geocoder: CountingGeocoder
    history: FakeHistoryProvider
    tasks: FakeTaskQueue
    weather: FakeWeatherProvider


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    clock = FakeClock(NOW)
    doubles = Fakes(
        geocoder=CountingGeocoder([SAMARA, *PARISES]),
        history=FakeHistoryProvider(),
        tasks=FakeTaskQueue(),
        weather=FakeWeatherProvider(clock),
    )
    container.geocoder.override(providers.Object(doubles.geocoder))
    container.history_provider.override(providers.Object(doubles.history))
    container.task_queue.override(providers.Object(doubles.tasks))
    container.weather_providers.override(providers.Object([doubles.weather]))
    container.clock.override(providers.Object(clock))
    yield doubles
    for name in ("geocoder", "history_provider", "task_queue", "weather_providers", "clock"):
        getattr(container, name).reset_override()


def add_location() -> uuid.UUID:
    command = RegisterLocationCommand(name="Kassel", latitude=51.3, longitude=9.5)
    return container.register_location().execute(command).id


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def fails(*args: str) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    return raised.value


def _all_locations() -> list[Location]:
    with container.unit_of_work() as uow:
        return list(uow.locations.all())


def _added(location: Location, where: str) -> str:
    return (
        f"Added {location.name} ({where}) at {location.coordinates.latitude:.4f}, "
        f"{location.coordinates.longitude:.4f} [{location.timezone}]: {location.id}"
    )


HINT = (
    "To add one of the others too, run the same command with --pick N (its number "
    "above), or narrow the matches with --country CC."
)

# --- add_location ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_add_location_stores_the_only_match_and_says_what_it_added(fakes: Fakes) -> None:
    output = run("add_location", "samara")

    [location] = _all_locations()
    assert (location.name, location.timezone, location.country_code, location.admin1) == (
        "Samara",
        "Europe/Samara",
        "RU",
        "Samara Oblast",
    )
    assert output == [
        f"Added Samara (Samara Oblast, RU) at 53.2001, 50.1500 [Europe/Samara]: {location.id}"
    ]
    assert fakes.geocoder.counts == [10]
    assert location.created_by is None  # nobody's: only staff may change it through the API


@pytest.mark.django_db
def test_add_location_with_several_matches_stores_the_best_and_lists_the_others(
    fakes: Fakes,
) -> None:
    output = run("add_location", "Paris")

    [location] = _all_locations()
    assert (location.country_code, location.admin1) == ("FR", "Île-de-France")
    assert output == [
        f"Added Paris (Île-de-France, FR) at 48.8534, 2.3488 [Europe/Paris]: {location.id}",
        "Other matches of 'Paris':",
        "  2. Paris (Texas, US) at 33.6609, -95.5555, population 24,171",
        "  3. Paris (Ontario, CA) at 43.2000, -80.3833, population 12,310",
        "  4. Paris (Tennessee, US) at 36.3020, -88.3267, population 10,156",
        HINT,
    ]


@pytest.mark.django_db
def test_add_location_pick_stores_that_match_of_the_list(fakes: Fakes) -> None:
    output = run("add_location", "Paris", "--pick", "3")

    [location] = _all_locations()
    assert (location.name, location.admin1, location.country_code) == ("Paris", "Ontario", "CA")
    assert location.timezone == "America/Toronto"
    assert output == [_added(location, "Ontario, CA")]


@pytest.mark.django_db
def test_add_location_country_keeps_the_matches_in_that_country(fakes: Fakes) -> None:
    output = run("add_location", "Paris", "--country", "us")

    [location] = _all_locations()
    assert (location.admin1, location.country_code) == ("Texas", "US")
    assert output == [
        _added(location, "Texas, US"),
        "Other matches of 'Paris' in US:",
        "  2. Paris (Tennessee, US) at 36.3020, -88.3267, population 10,156",
        HINT,
    ]


@pytest.mark.django_db
def test_add_location_pick_counts_within_the_country(fakes: Fakes) -> None:
    output = run("add_location", "Paris", "--country", "US", "--pick", "2")

    [location] = _all_locations()
    assert (location.admin1, location.country_code) == ("Tennessee", "US")
    assert output == [_added(location, "Tennessee, US")]


@pytest.mark.django_db
def test_add_location_country_that_leaves_one_match_stores_it_without_a_list(
    fakes: Fakes,
) -> None:
    output = run("add_location", "Paris", "--country", "CA")

    [location] = _all_locations()
    assert output == [_added(location, "Ontario, CA")]


@pytest.mark.django_db
def test_add_location_list_prints_the_matches_and_stores_nothing(fakes: Fakes) -> None:
    output = run("add_location", "Paris", "--list")

    assert output == [
        "4 places match 'Paris':",
        "  1. Paris (Île-de-France, FR) at 48.8534, 2.3488, population 2,138,551",
        "  2. Paris (Texas, US) at 33.6609, -95.5555, population 24,171",
        "  3. Paris (Ontario, CA) at 43.2000, -80.3833, population 12,310",
        "  4. Paris (Tennessee, US) at 36.3020, -88.3267, population 10,156",
    ]
    assert _all_locations() == []


@pytest.mark.django_db
def test_add_location_pick_out_of_range_says_how_many_there_are(fakes: Fakes) -> None:
    error = fails("add_location", "Paris", "--pick", "5")

    assert error.returncode == 2
    assert str(error) == (
        "argument --pick: 5 is out of range: 4 places match 'Paris' (1 to 4; --list shows them)."
    )
    assert _all_locations() == []


@pytest.mark.django_db
def test_add_location_without_a_match_exits_2(fakes: Fakes) -> None:
    error = fails("add_location", "Atlantis")

    assert (error.returncode, str(error)) == (2, "No place matches 'Atlantis'.")
    assert _all_locations() == []


@pytest.mark.django_db
def test_add_location_whose_country_filters_out_every_match_says_where_they_are(
    fakes: Fakes,
) -> None:
    error = fails("add_location", "Paris", "--country", "DE")

    assert error.returncode == 2
    assert str(error) == "No place matches 'Paris' in DE (4 places match elsewhere: FR, US, CA)."
    assert _all_locations() == []


@pytest.mark.django_db
def test_adding_a_place_already_tracked_is_a_conflict_exit_2(fakes: Fakes) -> None:
    run("add_location", "Samara")

    error = fails("add_location", "Samara")

    [location] = _all_locations()
    assert error.returncode == 2
    assert str(error) == f"Location {location.id} (Samara) is already at 53.2001, 50.15."


@pytest.mark.django_db
def test_add_location_with_an_empty_name_exits_2(fakes: Fakes) -> None:
    error = fails("add_location", "  ")

    assert (error.returncode, str(error)) == (
        2,
        f"argument name: must be 1 to {NAME_MAX_LENGTH} characters long.",
    )


@pytest.mark.django_db
def test_add_location_when_the_geocoder_is_down_exits_1(fakes: Fakes) -> None:
    fakes.geocoder.fail("timed out")

    error = fails("add_location", "Paris")

    assert (error.returncode, str(error)) == (1, "fake-geocoder is unavailable: timed out")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--country", "XX"), "argument --country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        (("--country", "FRA"), "argument --country: 'FRA' is not an ISO 3166-1 alpha-2"),
        (("--pick", "0"), "argument --pick: '0' is not a number from 1 up"),
        (("--pick", "two"), "argument --pick: 'two' is not a number from 1 up"),
        (("--pick", "2", "--list"), "argument --list: not allowed with argument --pick"),
    ],
    ids=["unknown-country", "alpha-3", "pick-zero", "pick-word", "pick-and-list"],
)
@pytest.mark.django_db
def test_add_location_refuses_bad_choices_with_exit_2(
    fakes: Fakes, arguments: tuple[str, ...], message: str
) -> None:
    error = fails("add_location", "Paris", *arguments)

    assert error.returncode == 2
    assert str(error).startswith(message)
    assert fakes.geocoder.counts == []  # refused before anything was looked up


# --- refresh_weather ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_weather_queues_a_task_and_prints_its_id(fakes: Fakes) -> None:
    location_id = add_location()

    [one] = run("refresh_weather", "--location", str(location_id))
    [every] = run("refresh_weather")

    assert [task.task_id for task in fakes.tasks.queued] == [one, every]
    assert fakes.tasks.names() == ["refresh_location", "refresh_all"]


@pytest.mark.django_db
def test_refresh_weather_sync_runs_the_refresh_here(fakes: Fakes) -> None:
    location_id = add_location()

    [one] = run("refresh_weather", "--location", str(location_id), "--sync")
    [every] = run("refresh_weather", "--sync")

    assert json.loads(one) == {
        "location_id": str(location_id),
        "provider": "fake-weather",
        "observations_stored": 1,
    }
    assert json.loads(every)["locations_refreshed"] == 1
    assert json.loads(every)["observations_stored"] == 0  # the same reading again is not news
    assert fakes.tasks.queued == []


@pytest.mark.parametrize("mode", [(), ("--sync",)], ids=["queued", "sync"])
@pytest.mark.django_db
def test_refresh_weather_of_an_unknown_location_exits_2(
    fakes: Fakes, mode: tuple[str, ...]
) -> None:
    missing = uuid.uuid4()

    error = fails("refresh_weather", "--location", str(missing), *mode)

    assert (error.returncode, str(error)) == (2, f"Location {missing} was not found.")
    assert fakes.tasks.queued == []


@pytest.mark.django_db
def test_refresh_weather_when_every_provider_is_down_exits_1(fakes: Fakes) -> None:
    location_id = add_location()
    fakes.weather.fail("timed out")

    error = fails("refresh_weather", "--location", str(location_id), "--sync")

    assert error.returncode == 1
    assert "fake-weather" in str(error)
    assert "\n" not in str(error)


@pytest.mark.django_db
def test_refresh_weather_past_the_providers_call_budget_exits_1_saying_when_to_try_again(
    fakes: Fakes,
) -> None:
    location_id = add_location()
    budget = InMemoryRateBudget(
        limits={"fake-weather": ProviderLimits(per_minute=1)}, clock=container.clock()
    )
    container.rate_budget.override(providers.Object(budget))
    try:
        run("refresh_weather", "--location", str(location_id), "--sync")  # spends the minute's
        error = fails("refresh_weather", "--location", str(location_id), "--sync")
    finally:
        container.rate_budget.reset_override()

    assert error.returncode == 1
    assert "call budget" in str(error)
    assert "try again in" in str(error)
    assert "\n" not in str(error)
    assert len(fakes.weather.calls) == 1  # the second was never asked


# --- backfill_history -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_backfill_history_prints_one_plain_line_per_stored_day_off_a_terminal(
    fakes: Fakes,
) -> None:
    location_id = add_location()

    output = run(
        "backfill_history",
        *("--location", str(location_id), "--start", "2026-01-30", "--end", "2026-02-02"),
    )

    assert output == [
        "backfill: 1/4 days, 2026-01-30 stored (24 observations so far)",
        "backfill: 2/4 days, 2026-01-31 stored (48 observations so far)",
        "backfill: 3/4 days, 2026-02-01 stored (72 observations so far)",
        "backfill: 4/4 days, 2026-02-02 stored (96 observations so far)",
        f"Stored 96 observations over 4 days from fake-archive for location {location_id}.",
    ]
    assert len(fakes.history.calls) == 1  # one provider call for the four days


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("2026-11-20", "2026-11-25", "--end"), ("2026-12-01", "2026-12-02", "--start")],
    ids=["end-tomorrow", "both-ahead"],
)
@pytest.mark.django_db
def test_backfill_history_refuses_dates_after_today_without_calling_the_provider(
    fakes: Fakes, start: str, end: str, field: str
) -> None:
    location_id = add_location()

    error = fails(
        "backfill_history", "--location", str(location_id), "--start", start, "--end", end
    )

    assert error.returncode == 2
    assert str(error) == f"argument {field}: must not be after today (2026-11-24, UTC)."
    assert fakes.history.calls == []


@pytest.mark.django_db
def test_backfill_history_with_a_reversed_range_exits_2(fakes: Fakes) -> None:
    location_id = add_location()

    error = fails(
        "backfill_history",
        *("--location", str(location_id), "--start", "2026-02-01", "--end", "2026-01-01"),
    )

    assert (error.returncode, str(error)) == (2, "argument --end: must not be before start.")
    assert fakes.history.calls == []


@pytest.mark.django_db
def test_backfill_history_of_an_unknown_location_exits_2(fakes: Fakes) -> None:
    missing = uuid.uuid4()

    error = fails(
        "backfill_history",
        "--location",
        str(missing),
        "--start",
        "2026-01-01",
        "--end",
        "2026-01-02",
    )

    assert (error.returncode, str(error)) == (2, f"Location {missing} was not found.")


@pytest.mark.django_db
def test_backfill_history_when_the_archive_is_down_exits_1(fakes: Fakes) -> None:
    location_id = add_location()
    fakes.history.fail("answered 502 after 4 retries")

    error = fails(
        "backfill_history",
        *("--location", str(location_id), "--start", "2026-01-01", "--end", "2026-01-02"),
    )

    assert (error.returncode, str(error)) == (
        1,
        "fake-archive is unavailable: answered 502 after 4 retries",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("--location", "nope", "--start", "2026-01-01", "--end", "2026-01-02"),
            "argument --location: 'nope' is not a location id (a UUID)",
        ),
        (
            ("--location", str(uuid.UUID(int=1)), "--start", "2026-13-01", "--end", "2026-12-31"),
            "argument --start: '2026-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            ("--start", "2026-01-01", "--end", "2026-01-02"),
            "the following arguments are required: --location",
        ),
    ],
    ids=["bad-location-id", "bad-date", "missing-location"],
)
def test_bad_arguments_are_one_line_and_exit_code_2(
    arguments: tuple[str, ...], message: str
) -> None:
    error = fails("backfill_history", *arguments)

    assert (error.returncode, str(error)) == (2, message)


class _RefusedCommand(CliCommand):
    """A command whose use case refuses what the user asks."""

    def handle(self, *args: object, **options: object) -> None:
        raise Forbidden("Location 42 may be changed only by the user who registered it.")


def test_a_change_the_user_may_not_make_is_one_line_and_exit_code_2() -> None:
    with pytest.raises(CommandError) as raised:
        call_command(_RefusedCommand(), stdout=StringIO())

    assert (raised.value.returncode, str(raised.value)) == (
        2,
        "Location 42 may be changed only by the user who registered it.",
    )
