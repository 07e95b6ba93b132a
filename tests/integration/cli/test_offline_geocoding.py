"""``manage.py add_location`` on a machine that cannot reach Open-Meteo, as a development checkout
without internet is: with the development ``.env``'s ``WEATHER_GEOCODERS=open-meteo,geonames``
the offline GeoNames cities answer instead, and the log says so. Real processes, a real SQLite
file; Open-Meteo's geocoding URL points at a closed local port, so nothing leaves the machine."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.support.processes import child_environment, free_port, run_manage

ADDED_OSLO = re.compile(r"^Added Oslo \(NO\) at 59\.9127, 10\.7461 \[Europe/Oslo\]: [0-9a-f-]{36}$")


def test_add_location_falls_back_to_the_offline_geocoder_when_open_meteo_is_unreachable(
    tmp_path: Path,
) -> None:
    env = child_environment(
        tmp_path,
        WEATHER_GEOCODERS="open-meteo,geonames",
        OPEN_METEO_GEOCODING_URL=f"http://127.0.0.1:{free_port()}/v1/search",  # nobody listens
        LOG_LEVEL="INFO",
    )
    migrated = run_manage(env, "migrate", "--verbosity", "0")
    assert migrated.returncode == 0, migrated.stderr

    finished = run_manage(env, "add_location", "Oslo")

    assert finished.returncode == 0, finished.stderr
    assert ADDED_OSLO.match(finished.stdout.strip()), finished.stdout
    assert "Geocoder open-meteo-geocoding failed:" in finished.stderr
    assert "; asking the next one" in finished.stderr
    assert (
        "Geocoding 'Oslo' answered by GeoNamesGeocoder, fallback 2 of 2, after "
        "open-meteo-geocoding failed" in finished.stderr
    )
    assert "Geocoding 'Oslo' offline (GeoNames cities) found 1 place, best Oslo (NO)" in (
        finished.stderr
    )
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        stored = database.execute(
            "SELECT name, country_code, timezone FROM weather_location"
        ).fetchall()
    assert stored == [("Oslo", "NO", "Europe/Oslo")]


def test_without_the_fallback_an_unreachable_open_meteo_still_exits_1(tmp_path: Path) -> None:
    env = child_environment(
        tmp_path, OPEN_METEO_GEOCODING_URL=f"http://127.0.0.1:{free_port()}/v1/search"
    )

    finished = run_manage(env, "add_location", "Oslo")

    assert finished.returncode == 1
    assert finished.stderr.splitlines()[-1].startswith(
        "manage.py add_location: error: open-meteo-geocoding is unavailable:"
    )
    assert "GeoNames" not in finished.stderr
