"""`/api/v1/locations/` and `/api/v1/geocode/` (CONTRACT.md §4, Location)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from adapters.persistence import models
from domain.locations import Coordinates, Location
from tests.api.conftest import (
    DATABASES,
    PROBLEM,
    TRANSACTION_CONTROL,
    Stored,
    assert_problem,
    random_id,
)
from tests.support.builders import NOW
from tests.support.fakes.providers import FakeGeocoder

pytestmark = pytest.mark.django_db(databases=DATABASES)

LOCATION_FIELDS = {
    "id",
    "name",
    "country_code",
    "admin1",
    "latitude",
    "longitude",
    "elevation",
    "timezone",
    "created_at",
    "updated_at",
}
PARIS = {"name": "Paris", "latitude": 48.85341, "longitude": 2.3488, "timezone": "Europe/Paris"}


# --- create --------------------------------------------------------------------------------------


def test_registering_a_location_answers_201_with_the_location_and_its_url(
    stored: Stored, user: APIClient
) -> None:
    response = user.post("/api/v1/locations/", {**PARIS, "country_code": "fr"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == LOCATION_FIELDS
    assert body["name"] == "Paris"
    assert body["latitude"] == 48.8534  # at most four decimals
    assert body["country_code"] == "FR"
    assert body["admin1"] is None
    assert body["timezone"] == "Europe/Paris"
    assert body["created_at"] == "2026-11-24T14:00:00Z"
    assert response["Location"] == f"http://testserver/api/v1/locations/{body['id']}/"
    assert user.get(response["Location"]).json() == body


def test_a_location_without_timezone_is_in_utc(stored: Stored, user: APIClient) -> None:
    response = user.post(
        "/api/v1/locations/", {"name": "Null Island", "latitude": 0, "longitude": 0}
    )

    assert response.status_code == 201
    assert response.json()["timezone"] == "UTC"


def test_two_locations_on_the_same_rounded_coordinates_conflict(
    stored: Stored, user: APIClient
) -> None:
    user.post("/api/v1/locations/", PARIS, format="json")

    response = user.post(
        "/api/v1/locations/", {**PARIS, "name": "Paris again", "latitude": 48.85339}
    )

    body = assert_problem(response, 409)
    assert "already" in body["detail"]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({**PARIS, "latitude": 90.5}, ["latitude"]),
        ({**PARIS, "longitude": -180.01}, ["longitude"]),
        ({**PARIS, "name": ""}, ["name"]),
        ({**PARIS, "name": "x" * 201}, ["name"]),
        ({**PARIS, "timezone": "Mars/Olympus_Mons"}, ["timezone"]),
        ({**PARIS, "country_code": "FRA"}, ["country_code"]),
        ({"name": "Paris"}, ["latitude", "longitude"]),
        ({**PARIS, "latitude": "north"}, ["latitude"]),
        ({**PARIS, "latitude": True}, ["latitude"]),
        ({**PARIS, "longitude": "2.3488"}, ["longitude"]),
        ({**PARIS, "elevation": 1e308}, ["elevation"]),
        ({**PARIS, "elevation": 9000.5}, ["elevation"]),
        ({**PARIS, "elevation": -500.5}, ["elevation"]),
        ({**PARIS, "elevation": False}, ["elevation"]),
        ({**PARIS, "elevation": "42"}, ["elevation"]),
        ({**PARIS, "name": "   "}, ["name"]),
        ({**PARIS, "name": 42}, ["name"]),
        ({**PARIS, "name": "Pa\x00ris"}, ["name"]),
        ({**PARIS, "country_code": " FR"}, ["country_code"]),
        ({**PARIS, "timezone": 3}, ["timezone"]),
    ],
    ids=[
        "latitude",
        "longitude",
        "empty-name",
        "long-name",
        "timezone",
        "country",
        "missing",
        "text",
        "boolean-latitude",
        "numeric-text-longitude",
        "huge-elevation",
        "elevation-above-9000",
        "elevation-below-minus-500",
        "boolean-elevation",
        "numeric-text-elevation",
        "blank-name",
        "number-name",
        "nul-in-name",
        "country-with-space",
        "number-timezone",
    ],
)
def test_invalid_location_is_400_naming_each_field(
    stored: Stored, user: APIClient, payload: dict[str, Any], fields: list[str]
) -> None:
    response = user.post("/api/v1/locations/", payload, format="json")

    assert_problem(response, 400, errors=fields)


@pytest.mark.parametrize("metres", [-500, 9000])
def test_an_elevation_from_minus_500_to_9000_metres_is_accepted(
    stored: Stored, user: APIClient, metres: int
) -> None:
    response = user.post("/api/v1/locations/", {**PARIS, "elevation": metres}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["elevation"] == metres


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"elevation": 1e308}, "elevation"),
        ({"latitude": True}, "latitude"),
        ({"longitude": "2.35"}, "longitude"),
        ({"name": ""}, "name"),
    ],
    ids=["huge-elevation", "boolean-latitude", "numeric-text-longitude", "empty-name"],
)
def test_a_patch_is_held_to_the_same_rules(
    stored: Stored, user: APIClient, change: dict[str, Any], field: str
) -> None:
    url = user.post("/api/v1/locations/", PARIS, format="json")["Location"]

    response = user.patch(url, change, format="json")

    assert_problem(response, 400, errors=[field])
    assert user.get(url).json()["latitude"] == 48.8534


@pytest.mark.parametrize("metres", [9000.5, -500.5, 1e308])
def test_the_database_refuses_an_elevation_the_domain_refuses(
    stored: Stored, metres: float
) -> None:
    """Whatever path a write takes (the admin, a shell, SQL), not only the API's."""
    samara = stored.location()
    rows = models.Location.objects.using(stored.alias).filter(pk=samara.id)

    with pytest.raises(IntegrityError), transaction.atomic(using=stored.alias):
        rows.update(elevation=metres)
    assert rows.get().elevation == 117.0


def test_malformed_json_is_a_400_problem(stored: Stored, user: APIClient) -> None:
    response = user.generic(
        "POST", "/api/v1/locations/", '{"name": "Paris",', content_type="application/json"
    )

    assert_problem(response, 400)


def test_a_json_array_body_is_a_400_problem(stored: Stored, user: APIClient) -> None:
    response = user.post("/api/v1/locations/", [PARIS], format="json")

    assert_problem(response, 400)


def test_a_form_body_is_415(stored: Stored, user: APIClient) -> None:
    response = user.post("/api/v1/locations/", PARIS, format="multipart")

    assert_problem(response, 415)


def test_anonymous_cannot_register_a_location(stored: Stored, anonymous: APIClient) -> None:
    response = anonymous.post("/api/v1/locations/", PARIS, format="json")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(stored: Stored, anonymous: APIClient) -> None:
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert_problem(anonymous.get("/api/v1/locations/"), 401)


# --- read and list -------------------------------------------------------------------------------


def test_anonymous_reads_a_location(stored: Stored, anonymous: APIClient) -> None:
    samara = stored.location()

    response = anonymous.get(f"/api/v1/locations/{samara.id}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(samara.id),
        "name": "Samara",
        "country_code": "RU",
        "admin1": "Samara Oblast",
        "latitude": 53.2,
        "longitude": 50.15,
        "elevation": 117.0,
        "timezone": "Europe/Samara",
        "created_at": "2026-11-24T14:00:00Z",
        "updated_at": "2026-11-24T14:00:00Z",
    }


def test_an_unknown_location_is_404(stored: Stored, anonymous: APIClient) -> None:
    assert_problem(anonymous.get(f"/api/v1/locations/{random_id()}/"), 404)


def test_a_location_id_that_is_not_a_uuid_is_404(stored: Stored, anonymous: APIClient) -> None:
    assert_problem(anonymous.get("/api/v1/locations/42/"), 404)


def test_list_is_paginated_and_ordered_by_name(stored: Stored, anonymous: APIClient) -> None:
    stored.location("b-town", coordinates=Coordinates(1, 1))
    stored.location("Alpha", coordinates=Coordinates(2, 2))
    stored.location("Charlie", coordinates=Coordinates(3, 3))

    first = anonymous.get("/api/v1/locations/?page_size=2").json()
    second = anonymous.get(first["next"]).json()

    assert first["count"] == 3
    assert [item["name"] for item in first["results"]] == ["Alpha", "b-town"]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/locations/?page=2&page_size=2"
    assert [item["name"] for item in second["results"]] == ["Charlie"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/locations/?page_size=2"


def test_list_searches_names_and_filters_by_country(stored: Stored, anonymous: APIClient) -> None:
    stored.location("Paris", coordinates=Coordinates(48.85, 2.35), country_code="FR")
    stored.location("Paris", coordinates=Coordinates(33.66, -95.55), country_code="US")
    stored.location("Lyon", coordinates=Coordinates(45.75, 4.85), country_code="FR")

    searched = anonymous.get("/api/v1/locations/?search=par").json()
    filtered = anonymous.get("/api/v1/locations/?search=par&country_code=fr").json()

    assert searched["count"] == 2
    assert filtered["count"] == 1
    assert filtered["results"][0]["country_code"] == "FR"


def test_page_size_above_100_is_capped(stored: Stored, anonymous: APIClient) -> None:
    stored.locations(101)

    body = anonymous.get("/api/v1/locations/?page_size=500").json()

    assert body["count"] == 101
    assert len(body["results"]) == 100


def test_a_page_past_the_end_is_empty_with_the_true_count(
    stored: Stored, anonymous: APIClient
) -> None:
    stored.location()

    body = anonymous.get("/api/v1/locations/?page=5").json()

    assert body["count"] == 1
    assert body["results"] == []
    assert body["next"] is None


@pytest.mark.parametrize("query", ["page=0", "page=two", "page_size=0", "page_size=-3"])
def test_bad_page_parameters_are_400_naming_them(
    stored: Stored, anonymous: APIClient, query: str
) -> None:
    response = anonymous.get(f"/api/v1/locations/?{query}")

    assert_problem(response, 400, errors=[query.split("=")[0]])


def test_listing_costs_the_same_queries_whatever_the_page_size(
    stored: Stored, anonymous: APIClient
) -> None:
    stored.locations(101)  # both pages full: each one is a page query and a count query

    small = stored.count_queries(lambda: anonymous.get("/api/v1/locations/?page_size=1"))
    large = stored.count_queries(lambda: anonymous.get("/api/v1/locations/?page_size=100"))

    assert small == large == 2  # the page and the count


def test_reading_a_location_costs_a_constant_number_of_queries(
    stored: Stored, user: APIClient
) -> None:
    samara = stored.location()

    # The token with its user, then the location.
    assert stored.count_queries(lambda: user.get(f"/api/v1/locations/{samara.id}/")) == 2


# --- with current weather (include=current) ------------------------------------------------------


def _queries_on_a_warm_cache(stored: Stored, call: Callable[[], Any]) -> int:
    """`Stored.count_queries` of `call` made a second time, the cache left as the first made it."""
    call()
    contexts = [CaptureQueriesContext(connections[alias]) for alias in {stored.alias, "default"}]
    with contextlib.ExitStack() as stack:
        for context in contexts:
            stack.enter_context(context)
        call()
    return sum(
        1
        for context in contexts
        for query in context.captured_queries
        if not query["sql"].lstrip().upper().startswith(TRANSACTION_CONTROL)
    )


@pytest.mark.parametrize("units", ["metric", "imperial"])
def test_with_include_current_each_location_has_its_current_weather_as_its_endpoint_gives_it(
    stored: Stored, anonymous: APIClient, units: str
) -> None:
    samara = stored.location("Samara", coordinates=Coordinates(53.2, 50.15))
    stored.location("Oslo", coordinates=Coordinates(59.91, 10.75))
    stored.weather(samara, temperature=-3.5, wind_speed=12.0, weather_code=3)
    plain = anonymous.get("/api/v1/locations/").json()

    body = anonymous.get(f"/api/v1/locations/?include=current&units={units}").json()

    oslo_item, samara_item = body["results"]
    current = anonymous.get(f"/api/v1/locations/{samara.id}/weather/current/?units={units}")
    assert samara_item["current"] == current.json()
    assert samara_item["current"]["units"]["temperature"] == ("°C" if units == "metric" else "°F")
    assert oslo_item["current"] is None
    assert [{k: v for k, v in item.items() if k != "current"} for item in body["results"]] == (
        plain["results"]
    )
    assert {k: v for k, v in body.items() if k != "results"} == {
        k: v for k, v in plain.items() if k != "results"
    }


def test_with_include_current_the_current_weather_is_in_the_language_of_the_response(
    stored: Stored, anonymous: APIClient
) -> None:
    samara = stored.location()
    stored.weather(samara, weather_code=3)

    listed = anonymous.get("/api/v1/locations/?include=current", HTTP_ACCEPT_LANGUAGE="fr")

    (item,) = listed.json()["results"]
    current = anonymous.get(
        f"/api/v1/locations/{samara.id}/weather/current/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert item["current"] == current.json()
    assert (item["current"]["condition"], item["current"]["condition_label"]) == (
        "Overcast",
        "Couvert",
    )


def test_without_include_the_locations_have_no_current(
    stored: Stored, anonymous: APIClient
) -> None:
    stored.weather(stored.location())

    (item,) = anonymous.get("/api/v1/locations/?units=imperial").json()["results"]

    assert set(item) == LOCATION_FIELDS


def test_the_pages_links_keep_include_and_units(stored: Stored, anonymous: APIClient) -> None:
    stored.locations(3)

    first = anonymous.get("/api/v1/locations/?include=current&units=imperial&page_size=2").json()
    second = anonymous.get(first["next"]).json()

    assert "include=current" in first["next"]
    assert "units=imperial" in first["next"]
    assert [item["current"] for item in second["results"]] == [None]


@pytest.mark.parametrize(
    "query", ["include=forecast", "include=", "include=CURRENT", "include=current,forecast"]
)
def test_include_takes_only_current(stored: Stored, anonymous: APIClient, query: str) -> None:
    assert_problem(anonymous.get(f"/api/v1/locations/?{query}"), 400, errors=["include"])


@pytest.mark.parametrize("query", ["units=kelvin", "units=", "include=current&units=kelvin"])
def test_units_of_the_list_are_validated_with_or_without_include(
    stored: Stored, anonymous: APIClient, query: str
) -> None:
    assert_problem(anonymous.get(f"/api/v1/locations/?{query}"), 400, errors=["units"])


@pytest.mark.usefixtures("without_kept_answers")  # the storage's own warm path, not the answer's
def test_listing_with_current_costs_the_same_queries_whatever_the_page_size(
    stored: Stored, anonymous: APIClient
) -> None:
    locations = stored.locations(50)
    for location in locations[::2]:  # every other one has current weather, the rest never had
        stored.weather(location)

    def listing(page_size: int) -> Callable[[], Any]:
        url = f"/api/v1/locations/?include=current&page_size={page_size}"
        return lambda: anonymous.get(url)

    sizes = (1, 2, 50)
    cold = [stored.count_queries(listing(size)) for size in sizes]
    warm = [_queries_on_a_warm_cache(stored, listing(size)) for size in sizes]

    # Cold: the page and the count, then the newest reading of each location and those readings.
    assert cold == [4, 4, 4]
    # Warm: the page and the readings come from the cache; only the locations that have never
    # had a reading (none on the page of 1, one or more on the others) are asked for again, all
    # at once, in one query that finds no reading to read.
    assert warm == [0, 1, 1]


@pytest.mark.usefixtures("without_kept_answers")
def test_with_every_reading_cached_the_list_with_current_queries_nothing(
    stored: Stored, anonymous: APIClient
) -> None:
    for location in stored.locations(5):
        stored.weather(location)

    assert (
        _queries_on_a_warm_cache(
            stored, lambda: anonymous.get("/api/v1/locations/?include=current")
        )
        == 0
    )


def test_the_list_and_the_current_endpoint_share_the_cached_readings(
    stored: Stored, anonymous: APIClient
) -> None:
    samara = stored.location()
    stored.weather(samara)
    current = f"/api/v1/locations/{samara.id}/weather/current/"
    anonymous.get(current)  # caches the reading (and the location)
    anonymous.get("/api/v1/locations/")  # caches the page

    with CaptureQueriesContext(connections[stored.alias]) as listed:
        anonymous.get("/api/v1/locations/?include=current")

    assert [q["sql"] for q in listed.captured_queries if "weather_observation" in q["sql"]] == []


def test_the_list_with_current_fills_the_cache_the_current_endpoint_reads(
    stored: Stored, anonymous: APIClient
) -> None:
    samara = stored.location()
    stored.weather(samara)
    anonymous.get("/api/v1/locations/?include=current")  # caches the page and the reading

    with CaptureQueriesContext(connections[stored.alias]) as read:
        current = anonymous.get(f"/api/v1/locations/{samara.id}/weather/current/")

    assert current.status_code == 200
    assert [q["sql"] for q in read.captured_queries if "weather_observation" in q["sql"]] == []


def test_a_new_reading_shows_in_the_list_with_current_at_once(
    stored: Stored, anonymous: APIClient
) -> None:
    samara = stored.location()
    stored.observations(samara, NOW - timedelta(hours=2), 1, timedelta(hours=1), temperature=1.0)
    before = anonymous.get("/api/v1/locations/?include=current").json()["results"][0]["current"]
    stored.observations(samara, NOW, 1, timedelta(hours=1), temperature=7.0)

    after = anonymous.get("/api/v1/locations/?include=current").json()["results"][0]["current"]

    assert (before["temperature"], after["temperature"]) == (1.0, 7.0)
    assert after == anonymous.get(f"/api/v1/locations/{samara.id}/weather/current/").json()


def test_the_schema_documents_include_and_current(stored: Stored, anonymous: APIClient) -> None:
    schema = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    document = schema.json()

    parameters = {
        p["name"]: p for p in document["paths"]["/api/v1/locations/"]["get"]["parameters"]
    }
    assert parameters["include"]["schema"]["enum"] == ["current"]
    assert parameters["units"]["schema"]["enum"] == ["metric", "imperial"]
    item = document["components"]["schemas"]["PaginatedLocationList"]["properties"]["results"]
    listed = document["components"]["schemas"][item["items"]["$ref"].rsplit("/", 1)[-1]]
    current = listed["properties"]["current"]
    assert current["nullable"] is True
    assert current["allOf"] == [{"$ref": "#/components/schemas/CurrentWeather"}]
    assert "current" not in listed["required"]


# --- update and delete ---------------------------------------------------------------------------


def test_put_replaces_every_writable_field(stored: Stored, user: APIClient, alice: Any) -> None:
    samara = stored.location(created_by=alice)

    response = user.put(
        f"/api/v1/locations/{samara.id}/",
        {"name": "Samara city", "latitude": 53.21, "longitude": 50.16},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Samara city"
    assert body["latitude"] == 53.21
    assert body["country_code"] is None
    assert body["admin1"] is None
    assert body["elevation"] is None
    assert body["timezone"] == "UTC"


def test_put_without_a_required_field_is_400(stored: Stored, user: APIClient, alice: Any) -> None:
    samara = stored.location(created_by=alice)

    response = user.put(f"/api/v1/locations/{samara.id}/", {"name": "x"}, format="json")

    assert_problem(response, 400, errors=["latitude", "longitude"])


def test_patch_changes_only_the_given_fields(stored: Stored, user: APIClient, alice: Any) -> None:
    samara = stored.location(created_by=alice)
    stored.clock.advance(timedelta(hours=1))

    response = user.patch(
        f"/api/v1/locations/{samara.id}/", {"admin1": None, "elevation": 120}, format="json"
    )

    body = response.json()
    assert response.status_code == 200
    assert body["name"] == "Samara"
    assert body["timezone"] == "Europe/Samara"
    assert body["admin1"] is None
    assert body["elevation"] == 120.0
    assert body["updated_at"] == "2026-11-24T15:00:00Z"
    assert body["created_at"] == "2026-11-24T14:00:00Z"


def test_moving_onto_another_locations_coordinates_conflicts(
    stored: Stored, user: APIClient, alice: Any
) -> None:
    stored.location("A", coordinates=Coordinates(1, 1))
    b = stored.location("B", coordinates=Coordinates(2, 2), created_by=alice)

    response = user.patch(
        f"/api/v1/locations/{b.id}/", {"latitude": 1, "longitude": 1}, format="json"
    )

    assert_problem(response, 409)


def test_updating_an_unknown_location_is_404(stored: Stored, user: APIClient) -> None:
    response = user.patch(f"/api/v1/locations/{random_id()}/", {"name": "x"}, format="json")

    assert_problem(response, 404)


def test_delete_removes_the_location_with_its_weather_and_rules(
    stored: Stored, user: APIClient, alice: Any
) -> None:
    samara = stored.location(created_by=alice)
    stored.weather(samara)
    rule = stored.rule(alice, samara)

    response = user.delete(f"/api/v1/locations/{samara.id}/")

    assert response.status_code == 204
    assert response.content == b""
    assert_problem(user.get(f"/api/v1/locations/{samara.id}/"), 404)
    assert_problem(user.get(f"/api/v1/alert-rules/{rule.id}/"), 404)
    with stored.uow() as uow:
        assert uow.observations.latest(samara.id) is None
        assert uow.forecasts.hourly(samara.id) is None


def test_deleting_an_unknown_location_is_404(stored: Stored, user: APIClient) -> None:
    assert_problem(user.delete(f"/api/v1/locations/{random_id()}/"), 404)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_anonymous_cannot_change_a_location(
    stored: Stored, anonymous: APIClient, method: str
) -> None:
    samara = stored.location()

    response = getattr(anonymous, method)(f"/api/v1/locations/{samara.id}/", {}, format="json")

    assert_problem(response, 401)


# --- who may change a location: its creator or a staff user (CONTRACT.md §3) --------------------

CHANGES = {
    "put": {"name": "Samara city", "latitude": 53.21, "longitude": 50.16},
    "patch": {"name": "Samara city"},
    "delete": None,
}
CHANGED = {"put": 200, "patch": 200, "delete": 204}


def change(client: APIClient, method: str, location: Location) -> Any:
    return getattr(client, method)(
        f"/api/v1/locations/{location.id}/", CHANGES[method], format="json"
    )


def test_registering_records_the_caller_as_the_creator(
    stored: Stored, user: APIClient, alice: Any
) -> None:
    location_id = user.post("/api/v1/locations/", PARIS, format="json").json()["id"]

    row = models.Location.objects.using(stored.alias).get(pk=location_id)
    assert row.created_by_id == alice.pk


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_creator_may_change_their_location(
    stored: Stored, user: APIClient, method: str
) -> None:
    url = user.post("/api/v1/locations/", PARIS, format="json")["Location"]

    response = getattr(user, method)(url, CHANGES[method], format="json")

    assert response.status_code == CHANGED[method], response.content


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_another_user_may_not_change_a_location_and_nothing_of_it_changes(
    stored: Stored, other_user: APIClient, alice: Any, bob: Any, method: str
) -> None:
    samara = stored.location(created_by=alice)
    stored.weather(samara)
    alices_rule = stored.rule(alice, samara)
    alert = stored.alert(alices_rule, stored.clock.now())
    bobs_rule = stored.rule(bob, samara, threshold=35.0)
    before = other_user.get(f"/api/v1/locations/{samara.id}/").json()

    response = change(other_user, method, samara)

    body = assert_problem(response, 403)
    assert "registered it" in body["detail"]
    assert other_user.get(f"/api/v1/locations/{samara.id}/").json() == before
    with stored.uow() as uow:
        assert uow.observations.latest(samara.id) is not None
        assert uow.forecasts.hourly(samara.id) is not None
        assert uow.forecasts.daily(samara.id) is not None
        assert uow.alerts.get_rule(alices_rule.id) == alices_rule
        assert uow.alerts.get_alert(alert.id) == alert
        assert uow.alerts.get_rule(bobs_rule.id) == bobs_rule


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("registered_by", ["alice", "nobody"])
def test_staff_may_change_any_location(
    stored: Stored, staff: APIClient, alice: Any, method: str, registered_by: str
) -> None:
    samara = stored.location(created_by=alice if registered_by == "alice" else None)

    response = change(staff, method, samara)

    assert response.status_code == CHANGED[method], response.content


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_location_added_from_the_command_line_is_changed_by_staff_only(
    stored: Stored, user: APIClient, staff: APIClient, method: str
) -> None:
    """`add_location` registers it with no creator: nobody's but staff's to change."""
    samara = stored.location(created_by=None)

    refused = change(user, method, samara)
    allowed = change(staff, method, samara)

    assert_problem(refused, 403)
    assert allowed.status_code == CHANGED[method], allowed.content


def test_a_deleted_users_locations_stay_without_a_creator_for_staff_to_change(
    stored: Stored, other_user: APIClient, staff: APIClient, alice: Any
) -> None:
    samara = stored.location(created_by=alice)

    stored.delete_account(alice)

    row = models.Location.objects.using(stored.alias).get(pk=samara.id)
    assert row.created_by_id is None
    assert other_user.get(f"/api/v1/locations/{samara.id}/").status_code == 200
    assert_problem(change(other_user, "patch", samara), 403)
    assert change(staff, "patch", samara).status_code == 200


def test_the_schema_says_who_may_change_a_location(stored: Stored, anonymous: APIClient) -> None:
    schema = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    operations = schema.json()["paths"]["/api/v1/locations/{location_id}/"]

    for method in ("put", "patch", "delete"):
        forbidden = operations[method]["responses"]["403"]
        assert "registered the location, or a staff user" in forbidden["description"]
        assert PROBLEM in forbidden["content"]


# --- geocode -------------------------------------------------------------------------------------


def test_geocode_finds_places_best_match_first(
    stored: Stored, anonymous: APIClient, geocoder: FakeGeocoder
) -> None:
    response = anonymous.get("/api/v1/geocode/?name=Par&count=5")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [place["name"] for place in results] == ["Paris", "Parish"]
    assert results[0] == {
        "name": "Paris",
        "country_code": "FR",
        "admin1": "Île-de-France",
        "latitude": 48.8534,
        "longitude": 2.3488,
        "elevation": 42.0,
        "timezone": "Europe/Paris",
        "population": 2138551,
    }


def test_geocode_count_limits_the_results(
    stored: Stored, anonymous: APIClient, geocoder: FakeGeocoder
) -> None:
    assert len(anonymous.get("/api/v1/geocode/?name=Par&count=1").json()["results"]) == 1


def test_geocode_without_match_is_an_empty_list(
    stored: Stored, anonymous: APIClient, geocoder: FakeGeocoder
) -> None:
    response = anonymous.get("/api/v1/geocode/?name=Atlantis")

    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_geocode_answers_503_when_the_provider_is_unreachable(
    stored: Stored, anonymous: APIClient, geocoder: FakeGeocoder
) -> None:
    geocoder.fail("timed out")

    body = assert_problem(anonymous.get("/api/v1/geocode/?name=Paris"), 503)

    assert "timed out" in body["detail"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("", "name"), ("name=", "name"), ("name=Paris&count=0", "count"), ("name=P&count=x", "count")],
)
def test_geocode_with_bad_parameters_is_400_naming_them(
    stored: Stored, anonymous: APIClient, geocoder: FakeGeocoder, query: str, parameter: str
) -> None:
    assert_problem(anonymous.get(f"/api/v1/geocode/?{query}"), 400, errors=[parameter])
