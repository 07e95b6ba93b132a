"""The management commands as a person runs them: real ``manage.py`` processes, a real SQLite file,
the real Open-Meteo clients talking to a local stub (pytest-httpserver) that answers with recorded
payloads. What is checked is what a terminal shows: stderr is exactly one line on every error, with
exit code 2 for the user's mistakes, and the progress bar on a terminal (a pseudo-terminal here).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support.processes import PROJECT_DIR, child_environment, run_manage
from tests.support.provider_answers import archive_answer, fixture

GEOCODING_PATH = "/v1/search"
ARCHIVE_PATH = "/v1/archive"
SAMARA_SEARCH = fixture("open-meteo/geocoding_samara.json")
NO_MATCH = fixture("open-meteo/geocoding_no_match.json")
SAMARA_ZONE = ZoneInfo("Europe/Samara")
ADDED = re.compile(
    r"^Added Samara \(Samara Oblast, RU\) at 53\.2077, 50\.1355 \[Europe/Samara\]: "
    r"(?P<id>[0-9a-f-]{36})$"
)


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once; each test gets its own copy (see `env`)."""
    folder = tmp_path_factory.mktemp("cli-db")
    env = child_environment(folder)
    finished = run_manage(env, "migrate", "--verbosity", "0")
    assert finished.returncode == 0, finished.stderr
    return folder / "db.sqlite3"


@pytest.fixture
def env(tmp_path: Path, migrated_database: Path, httpserver: HTTPServer) -> dict[str, str]:
    database = tmp_path / "db.sqlite3"
    shutil.copyfile(migrated_database, database)
    return child_environment(
        tmp_path,
        DATABASE_URL=f"sqlite:///{database}",
        OPEN_METEO_GEOCODING_URL=httpserver.url_for(GEOCODING_PATH),
        OPEN_METEO_ARCHIVE_URL=httpserver.url_for(ARCHIVE_PATH),
    )


def error_line(finished: subprocess.CompletedProcess[str]) -> str:
    """The one line a failed command wrote to stderr (and fails the test if there are more)."""
    lines = finished.stderr.splitlines()
    assert len(lines) == 1, finished.stderr
    return lines[0]


def requests_to(httpserver: HTTPServer, path: str) -> list[Request]:
    return [request for request, _response in httpserver.log if request.path == path]


def add_samara(httpserver: HTTPServer, env: dict[str, str]) -> uuid.UUID:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(SAMARA_SEARCH)
    finished = run_manage(env, "add_location", "Samara", "--pick", "1")
    assert finished.returncode == 0, finished.stderr
    match = ADDED.match(finished.stdout.strip())
    assert match is not None, finished.stdout
    return uuid.UUID(match["id"])


# --- one line and exit code 2 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ("refresh_weather", "--location", "not-a-uuid"),
            "manage.py refresh_weather: error: argument --location: 'not-a-uuid' is not a "
            "location id (a UUID)",
        ),
        (
            (
                "backfill_history",
                *("--location", str(uuid.UUID(int=1)), "--start", "2026-13-01"),
                *("--end", "2026-12-31"),
            ),
            "manage.py backfill_history: error: argument --start: '2026-13-01' is not a date "
            "(YYYY-MM-DD)",
        ),
        (
            ("backfill_history", "--start", "2026-01-01", "--end", "2026-01-02"),
            "manage.py backfill_history: error: the following arguments are required: --location",
        ),
        (
            ("add_location",),
            "manage.py add_location: error: the following arguments are required: name",
        ),
        (
            ("add_location", "Paris", "--country", "France"),
            "manage.py add_location: error: argument --country: 'France' is not an ISO 3166-1 "
            "alpha-2 country code (e.g. FR, US, GB)",
        ),
        (
            ("add_location", "Paris", "--pick", "0"),
            "manage.py add_location: error: argument --pick: '0' is not a number from 1 up",
        ),
        (
            ("create_superuser_from_env", "--no-such-option"),
            "manage.py create_superuser_from_env: error: unrecognized arguments: --no-such-option",
        ),
    ],
    ids=[
        "bad-location-id",
        "bad-date",
        "missing-location",
        "missing-name",
        "bad-country",
        "bad-pick",
        "unknown-option",
    ],
)
def test_a_bad_argument_is_one_line_on_stderr_and_exit_code_2(
    tmp_path: Path, arguments: tuple[str, ...], line: str
) -> None:
    finished = run_manage(child_environment(tmp_path), *arguments)

    assert finished.returncode == 2
    assert error_line(finished) == line
    assert finished.stdout == ""


def test_help_still_prints_the_usage(tmp_path: Path) -> None:
    finished = run_manage(child_environment(tmp_path), "add_location", "--help")

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith("usage: manage.py add_location [-h]")
    assert "--pick N" in finished.stdout
    assert "--country CC" in finished.stdout


def test_a_missing_setting_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    env = child_environment(tmp_path)
    finished = run_manage(env, "create_superuser_from_env")

    assert finished.returncode == 2
    assert error_line(finished) == (
        "manage.py create_superuser_from_env: error: missing DJANGO_SUPERUSER_USERNAME, "
        "DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD"
    )


# --- add_location ---------------------------------------------------------------------------------


def test_add_location_stores_the_best_of_several_matches_and_lists_the_others(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(SAMARA_SEARCH)

    finished = run_manage(env, "add_location", "Samara")

    assert finished.returncode == 0, finished.stderr
    assert finished.stderr == ""
    first, *others = finished.stdout.splitlines()
    assert ADDED.match(first), first
    assert others == [
        "Other matches of 'Samara':",
        "  2. Debre Tabor (Amhara, ET) at 11.8500, 38.0167, population 125,300",
        "  3. Semera (Afar Region, ET) at 11.7934, 41.0058, population 50,000",
        "  4. Samaro (Sindh, PK) at 25.2814, 69.3962, population 8,784",
        "  5. Sámara (Guanacaste Province, CR) at 9.8815, -85.5281, population 1,071",
        "  6. Thamara (Murang'A, KE) at -0.8333, 37.0667",
        "To add one of the others too, run the same command with --pick N (its number "
        "above), or narrow the matches with --country CC.",
    ]
    [request] = requests_to(httpserver, GEOCODING_PATH)
    assert (request.args["name"], request.args["count"]) == ("Samara", "10")


def test_add_location_country_and_pick_choose_among_the_matches(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(SAMARA_SEARCH)
    env = {**env, "LOG_LEVEL": "INFO"}

    finished = run_manage(env, "add_location", "Samara", "--country", "et", "--pick", "2")

    assert finished.returncode == 0, finished.stderr
    # The geocoder's log says what it found (the search, not the choice made among its results).
    assert "Geocoding 'Samara' found 6 places, best Samara (Samara Oblast, RU)" in finished.stderr
    [line] = finished.stdout.splitlines()
    assert re.fullmatch(
        r"Added Semera \(Afar Region, ET\) at 11\.7934, 41\.0058 \[Africa/Addis_Ababa\]: "
        r"[0-9a-f-]{36}",
        line,
    ), line


def test_add_location_list_stores_nothing(httpserver: HTTPServer, env: dict[str, str]) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(SAMARA_SEARCH)

    listed = run_manage(env, "add_location", "Samara", "--country", "ET", "--list")
    added = run_manage(env, "add_location", "Samara", "--pick", "1")

    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "2 places match 'Samara' in ET:",
        "  1. Debre Tabor (Amhara, ET) at 11.8500, 38.0167, population 125,300",
        "  2. Semera (Afar Region, ET) at 11.7934, 41.0058, population 50,000",
    ]
    assert added.returncode == 0, added.stderr  # the first one stored nothing to conflict with


def test_add_location_pick_out_of_range_exits_2(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(SAMARA_SEARCH)

    finished = run_manage(env, "add_location", "Samara", "--pick", "7")

    assert finished.returncode == 2
    assert error_line(finished) == (
        "manage.py add_location: error: argument --pick: 7 is out of range: 6 places match "
        "'Samara' (1 to 6; --list shows them)."
    )


def test_add_location_without_a_match_exits_2(httpserver: HTTPServer, env: dict[str, str]) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_json(NO_MATCH)

    finished = run_manage(env, "add_location", "Atlantis")

    assert finished.returncode == 2
    assert error_line(finished) == "manage.py add_location: error: No place matches 'Atlantis'."
    assert finished.stdout == ""


def test_adding_a_tracked_place_again_exits_2(httpserver: HTTPServer, env: dict[str, str]) -> None:
    location_id = add_samara(httpserver, env)

    finished = run_manage(env, "add_location", "Samara")

    assert finished.returncode == 2
    assert error_line(finished) == (
        f"manage.py add_location: error: Location {location_id} (Samara) is already at "
        "53.2077, 50.1355."
    )


def test_add_location_when_the_geocoder_fails_exits_1(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    httpserver.expect_request(GEOCODING_PATH).respond_with_data(
        "<html>maintenance</html>", status=200, content_type="text/html"
    )

    finished = run_manage(env, "add_location", "Samara")

    assert finished.returncode == 1
    last = finished.stderr.splitlines()[-1]  # the provider client logs its failed call before
    assert last.startswith(
        "manage.py add_location: error: open-meteo-geocoding is unavailable: answered 200 with "
        "text/html instead of JSON"
    )
    assert "Traceback" not in finished.stderr


def test_refresh_weather_of_an_unknown_location_exits_2(env: dict[str, str]) -> None:
    missing = uuid.uuid4()

    finished = run_manage(env, "refresh_weather", "--location", str(missing), "--sync")

    assert finished.returncode == 2
    assert error_line(finished) == (
        f"manage.py refresh_weather: error: Location {missing} was not found."
    )


# --- backfill_history -----------------------------------------------------------------------------


def test_backfill_history_refuses_a_future_date_before_calling_the_archive(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    location_id = add_samara(httpserver, env)
    before = datetime.now(SAMARA_ZONE).date()  # the location's today, not UTC's
    start, end = before - timedelta(days=3), before + timedelta(days=1)

    finished = run_manage(
        env,
        "backfill_history",
        *("--location", str(location_id), "--start", start.isoformat(), "--end", end.isoformat()),
    )

    after = datetime.now(SAMARA_ZONE).date()
    assert finished.returncode == 2
    assert error_line(finished) in {
        f"manage.py backfill_history: error: argument --end: must not be after today "
        f"({today.isoformat()}, Europe/Samara)."
        for today in (before, after)
    }
    assert requests_to(httpserver, ARCHIVE_PATH) == []


def archive_days(request: Request) -> Response:
    """Every hour of the asked UTC days, as the archive answers (the client asks for the UTC days
    that cover Samara's local ones, and keeps those)."""
    start = date.fromisoformat(request.args["start_date"])
    end = date.fromisoformat(request.args["end_date"])
    first = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    body = archive_answer(first, ((end - start).days + 1) * 24)
    return Response(json.dumps(body), content_type="application/json")


def test_backfill_history_off_a_terminal_prints_a_line_per_day(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    location_id = add_samara(httpserver, env)
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(archive_days)

    finished = run_manage(
        env,
        "backfill_history",
        *("--location", str(location_id), "--start", "2026-03-01", "--end", "2026-03-03"),
    )

    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.splitlines() == [
        "backfill: 1/3 days, 2026-03-01 stored (24 observations so far)",
        "backfill: 2/3 days, 2026-03-02 stored (48 observations so far)",
        "backfill: 3/3 days, 2026-03-03 stored (72 observations so far)",
        f"Stored 72 observations over 3 days from open-meteo-archive for location {location_id}.",
    ]
    assert len(requests_to(httpserver, ARCHIVE_PATH)) == 1


def run_on_a_terminal(env: dict[str, str], *args: str, timeout: float = 60) -> tuple[int, str]:
    """Runs ``manage.py`` with stdin, stdout and stderr on one pseudo-terminal of 100 columns, as
    a shell would; returns the exit code and everything the terminal received."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        close_fds=True,
    )
    os.close(terminal)
    received = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: every end of the terminal closed, the process is gone
                break
            if not chunk:
                break
            received += chunk
        returncode = process.wait(timeout=10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        os.close(controller)
    return returncode, received.decode("utf-8", errors="replace")


def screen_segments(output: str) -> list[str]:
    """What each carriage return or newline starts on the terminal, without colour codes."""
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output)
    return [segment.strip() for segment in re.split(r"[\r\n]", plain) if segment.strip()]


def test_backfill_history_on_a_terminal_advances_the_bar_per_day_and_logs_do_not_break_it(
    httpserver: HTTPServer, env: dict[str, str]
) -> None:
    location_id = add_samara(httpserver, env)
    httpserver.expect_request(ARCHIVE_PATH).respond_with_handler(archive_days)
    env = {**env, "LOG_LEVEL": "INFO"}  # the provider call is logged while the bar is shown

    returncode, output = run_on_a_terminal(
        env,
        "backfill_history",
        *("--location", str(location_id), "--start", "2026-03-01", "--end", "2026-03-03"),
    )

    assert returncode == 0, output
    segments = screen_segments(output)
    bar = [segment for segment in segments if segment.startswith("backfill:")]
    assert any("0/3" in segment for segment in bar), output
    for done in (1, 2, 3):  # one provider call, yet the bar moves for each stored day
        assert any(f"{done}/3" in segment for segment in bar), output
    [logged] = [segment for segment in segments if "Provider call open-meteo-archive" in segment]
    assert "backfill" not in logged, output  # the log line has a line of its own
    assert segments[-1] == (
        f"Stored 72 observations over 3 days from open-meteo-archive for location {location_id}."
    )
    assert len(requests_to(httpserver, ARCHIVE_PATH)) == 1
