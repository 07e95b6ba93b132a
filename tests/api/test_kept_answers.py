"""The rendered answers the API keeps (`adapters/rest/representations.py`): the list (with or
without current weather), a location and its current weather are answered again without being
read, converted or rendered again, exactly as long as the data they show is unchanged, and what
depends on the caller is still decided for each request.

That the throttles still count every answer is `tests/api/test_auth.py`'s: its repeated reads of
the list are answered from what was kept after the first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest
from dependency_injector import providers
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from adapters.rest.representations import Representations
from application.use_cases.get_current_weather import GetCurrentWeather
from application.use_cases.get_location import GetLocation
from application.use_cases.list_locations import ListLocations
from domain.locations import Location
from server_config.container import container
from tests.api.conftest import DATABASES, Stored

pytestmark = pytest.mark.django_db(databases=DATABASES)


@attrs.define
class Renders:
    """How many times each kept read ran its use case (was rendered afresh)."""

    counts: dict[str, int] = attrs.field(factory=dict)

    def of(self, name: str) -> int:
        return self.counts.get(name, 0)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Renders:
    seen = Renders()
    use_cases: dict[str, type[Any]] = {
        "list": ListLocations,
        "detail": GetLocation,
        "current": GetCurrentWeather,
    }
    for name, use_case in use_cases.items():
        real = use_case.execute

        def counted(self: Any, *args: Any, _real: Any = real, _name: str = name) -> Any:
            seen.counts[_name] = seen.of(_name) + 1
            return _real(self, *args)

        monkeypatch.setattr(use_case, "execute", counted)
    return seen


@pytest.fixture
def samara(stored: Stored) -> Location:
    location = stored.location()
    stored.weather(location, temperature=4.0)
    return location


def reads(location: Location) -> dict[str, str]:
    return {
        "list": "/api/v1/locations/",
        "list with current": "/api/v1/locations/?include=current",
        "detail": f"/api/v1/locations/{location.id}/",
        "current": f"/api/v1/locations/{location.id}/weather/current/",
    }


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FixedVersions:
    """A storage whose stamp never changes, or that cannot stamp (`None`)."""

    def __init__(self, stamp: str | None) -> None:
        self._stamp = stamp

    def stamp(self) -> str | None:
        return self._stamp


@pytest.fixture
def monotonic() -> FakeMonotonic:
    return FakeMonotonic()


@contextlib.contextmanager
def kept_by(representations: Representations) -> Iterator[Representations]:
    with container.representations.override(providers.Object(representations)):
        yield representations


@pytest.fixture
def fixed_stamp(monotonic: FakeMonotonic) -> Iterator[Representations]:
    # Room for two answers of current weather (about 550 bytes each), not three.
    with kept_by(
        Representations(FixedVersions("same"), monotonic=monotonic, budget_bytes=1500)
    ) as representations:
        yield representations


@pytest.mark.parametrize("read", ["list", "list with current", "detail", "current"])
def test_a_repeated_read_is_the_same_answer_without_reading_anything_again(
    samara: Location, stored: Stored, anonymous: APIClient, renders: Renders, read: str
) -> None:
    url = reads(samara)[read]
    first = anonymous.get(url)

    contexts = [CaptureQueriesContext(connections[alias]) for alias in {stored.alias, "default"}]
    with contexts[0], contexts[-1]:
        again = anonymous.get(url)

    assert first.status_code == 200
    assert [query for context in contexts for query in context.captured_queries] == []
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert renders.of(read.removesuffix(" with current")) == 1


def test_a_change_through_the_api_shows_in_the_next_read(
    stored: Stored, alice: Any, user: APIClient, anonymous: APIClient
) -> None:
    samara = stored.location(created_by=alice)
    stored.weather(samara)
    urls = reads(samara)
    before = {read: anonymous.get(url).json() for read, url in urls.items()}

    assert user.patch(urls["detail"], {"name": "Samara-2"}, format="json").status_code == 200

    assert before["detail"]["name"] == "Samara"
    assert anonymous.get(urls["detail"]).json()["name"] == "Samara-2"
    for listing in ("list", "list with current"):
        assert [item["name"] for item in anonymous.get(urls[listing]).json()["results"]] == [
            "Samara-2"
        ]
    assert user.delete(urls["detail"]).status_code == 204
    assert anonymous.get(urls["detail"]).status_code == 404
    assert anonymous.get(urls["current"]).status_code == 404
    assert anonymous.get(urls["list with current"]).json()["results"] == []


def test_a_new_reading_shows_in_the_next_read_of_current_weather(
    samara: Location, stored: Stored, anonymous: APIClient
) -> None:
    current = reads(samara)["current"]
    before = anonymous.get(current).json()

    stored.clock.advance(timedelta(minutes=15))
    stored.weather(samara, temperature=9.0)  # the next refresh, through a unit of work

    after = anonymous.get(current).json()
    assert before["temperature"] == 4.0
    assert after["temperature"] == 9.0
    assert after["fetched_at"] > before["fetched_at"]


def test_answers_are_kept_apart_by_language_units_and_host(
    samara: Location, stored: Stored, anonymous: APIClient
) -> None:
    stored.locations(3)
    current = reads(samara)["current"]

    english = anonymous.get(current, headers={"Accept-Language": "en"}).json()
    french = anonymous.get(current, headers={"Accept-Language": "fr"}).json()
    imperial = anonymous.get(current + "?units=imperial").json()
    paged = "/api/v1/locations/?page_size=1"
    here = anonymous.get(paged, HTTP_HOST="localhost").json()
    there = anonymous.get(paged, HTTP_HOST="127.0.0.1").json()

    assert english["condition_label"] != french["condition_label"]
    assert english == anonymous.get(current, headers={"Accept-Language": "en"}).json()
    assert imperial["units"]["temperature"] == "°F"
    assert imperial["temperature"] != english["temperature"]
    assert here["next"].startswith("http://localhost/")
    assert there["next"].startswith("http://127.0.0.1/")


def test_a_kept_answer_is_private_for_a_caller_with_credentials(
    samara: Location, anonymous: APIClient, user: APIClient
) -> None:
    url = reads(samara)["current"]

    answers = [anonymous.get(url), user.get(url), anonymous.get(url)]

    assert [answer["Cache-Control"].split(",")[0] for answer in answers] == [
        "public",
        "private",
        "public",
    ]
    assert answers[0].content == answers[1].content == answers[2].content


def test_a_kept_answer_answers_if_none_match_with_a_304(
    samara: Location, anonymous: APIClient, renders: Renders
) -> None:
    url = reads(samara)["current"]
    first = anonymous.get(url)

    not_modified = anonymous.get(url, headers={"If-None-Match": first["ETag"]})
    other = anonymous.get(url, headers={"If-None-Match": '"something-else"'})

    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert "Content-Type" not in not_modified
    assert not_modified["ETag"] == first["ETag"]
    assert not_modified["Cache-Control"] == first["Cache-Control"]
    assert other.status_code == 200
    assert other.content == first.content
    assert renders.of("current") == 1


def test_the_freshness_of_a_kept_answer_counts_from_each_request(
    samara: Location, stored: Stored, anonymous: APIClient
) -> None:
    url = reads(samara)["current"]
    first = anonymous.get(url)

    stored.clock.advance(timedelta(minutes=5))  # the reading is 5 minutes older

    assert first["Cache-Control"].startswith("public, max-age=900,")
    assert anonymous.get(url)["Cache-Control"].startswith("public, max-age=600,")


@pytest.mark.parametrize("stored", ["default"], indirect=True)
def test_a_kept_answer_lasts_a_second_at_most(
    samara: Location,
    anonymous: APIClient,
    renders: Renders,
    fixed_stamp: Representations,
    monotonic: FakeMonotonic,
) -> None:
    url = reads(samara)["current"]
    anonymous.get(url)

    monotonic.now += 0.9
    anonymous.get(url)
    monotonic.now += 0.2
    anonymous.get(url)

    assert renders.of("current") == 2


@pytest.mark.parametrize("stored", ["default"], indirect=True)
def test_nothing_is_kept_when_the_storage_cannot_stamp(
    samara: Location, anonymous: APIClient, renders: Renders
) -> None:
    with kept_by(Representations(FixedVersions(None))):
        answers = [anonymous.get(reads(samara)["current"]).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert renders.of("current") == 3


@pytest.mark.parametrize("stored", ["default"], indirect=True)
def test_errors_are_never_kept(
    stored: Stored, anonymous: APIClient, renders: Renders, fixed_stamp: Representations
) -> None:
    samara = stored.location()
    current = reads(samara)["current"]
    bad = "/api/v1/locations/?page_size=0"

    assert anonymous.get(current).status_code == 404  # nothing fetched yet
    stored.weather(samara)  # the stamp is fixed: only the 404 not being kept lets this show
    assert anonymous.get(current).status_code == 200
    assert [anonymous.get(bad).status_code for _ in range(2)] == [400, 400]
    assert renders.of("current") == 2


@pytest.mark.parametrize("stored", ["default"], indirect=True)
def test_the_answers_kept_are_bounded_the_oldest_going_first(
    stored: Stored, anonymous: APIClient, renders: Renders, fixed_stamp: Representations
) -> None:
    first, second, third = stored.locations(3)
    for location in (first, second, third):
        stored.weather(location)

    sizes = []
    for location in (first, second, third, third, first):  # room for two
        answer = anonymous.get(reads(location)["current"])
        assert answer.status_code == 200
        sizes.append(len(answer.content))

    assert all(500 < size <= 750 for size in sizes)  # as the budget of `fixed_stamp` expects
    assert renders.of("current") == 4  # the first was dropped for the third, then read again


@pytest.mark.parametrize("stored", ["default"], indirect=True)
def test_an_answer_larger_than_the_whole_budget_is_not_kept(
    samara: Location, anonymous: APIClient, renders: Renders
) -> None:
    with kept_by(Representations(FixedVersions("same"), budget_bytes=100)):
        answers = [anonymous.get(reads(samara)["current"]) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert renders.of("current") == 2
