"""`/api/v1/alert-rules/` and `/api/v1/alerts/`: private to their owner (CONTRACT.md §4, Alerts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from domain.locations import Coordinates, Location
from tests.api.conftest import DATABASES, Stored, assert_problem, random_id
from tests.unit.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)

RULE_FIELDS = {
    "id",
    "location_id",
    "metric",
    "operator",
    "threshold",
    "webhook_url",
    "active",
    "created_at",
}


@pytest.fixture
def samara(stored: Stored) -> Location:
    return stored.location()


def a_rule(location: Location, **fields: Any) -> dict[str, Any]:
    return {
        "location_id": str(location.id),
        "metric": "wind_gusts",
        "operator": "gt",
        "threshold": 70,
        **fields,
    }


def test_creating_a_rule_answers_201_with_the_rule(
    stored: Stored, user: APIClient, samara: Location
) -> None:
    response = user.post(
        "/api/v1/alert-rules/",
        a_rule(samara, webhook_url="https://hooks.example/weather"),
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == RULE_FIELDS
    assert body["metric"] == "wind_gusts"
    assert body["threshold"] == 70.0
    assert body["active"] is True
    assert body["webhook_url"] == "https://hooks.example/weather"
    assert body["created_at"] == "2026-11-24T14:00:00Z"
    assert user.get(f"/api/v1/alert-rules/{body['id']}/").json() == body


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"metric": "snow_depth"}, ["metric"]),
        ({"operator": "eq"}, ["operator"]),
        ({"threshold": "high"}, ["threshold"]),
        ({"location_id": "nowhere"}, ["location_id"]),
        ({"location_id": "6c1d4f2a-0000-4000-8000-000000000000"}, ["location_id"]),
        ({"webhook_url": "ftp://hooks.example"}, ["webhook_url"]),
        ({"webhook_url": "http://127.0.0.1/hook"}, ["webhook_url"]),  # private by default
    ],
)
def test_invalid_rule_is_400_naming_the_field(
    stored: Stored, user: APIClient, samara: Location, fields: dict[str, Any], errors: list[str]
) -> None:
    response = user.post("/api/v1/alert-rules/", a_rule(samara, **fields), format="json")

    assert_problem(response, 400, errors=errors)


def test_rules_list_shows_only_the_callers_rules(
    stored: Stored, user: APIClient, other_user: APIClient, alice: Any, bob: Any, samara: Location
) -> None:
    mine = stored.rule(alice, samara)
    stored.rule(bob, samara)

    body = user.get("/api/v1/alert-rules/").json()

    assert body["count"] == 1
    assert [rule["id"] for rule in body["results"]] == [str(mine.id)]
    assert other_user.get("/api/v1/alert-rules/").json()["count"] == 1


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_rule_is_404(
    stored: Stored, user: APIClient, bob: Any, samara: Location, method: str
) -> None:
    theirs = stored.rule(bob, samara)

    response = getattr(user, method)(
        f"/api/v1/alert-rules/{theirs.id}/", a_rule(samara), format="json"
    )

    assert_problem(response, 404)


def test_an_unknown_rule_is_404(stored: Stored, user: APIClient) -> None:
    assert_problem(user.get(f"/api/v1/alert-rules/{random_id()}/"), 404)


def test_put_replaces_every_field_and_patch_some(
    stored: Stored, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = stored.rule(alice, samara, webhook_url="https://hooks.example/a", active=False)
    other = stored.location("Other", coordinates=Coordinates(1, 1))

    put = user.put(
        f"/api/v1/alert-rules/{rule.id}/",
        a_rule(other, metric="temperature", operator="lt", threshold=-10),
        format="json",
    ).json()
    patched = user.patch(
        f"/api/v1/alert-rules/{rule.id}/", {"threshold": -15.5}, format="json"
    ).json()

    assert put["location_id"] == str(other.id)
    assert put["metric"] == "temperature"
    assert put["operator"] == "lt"
    assert put["webhook_url"] is None
    assert put["active"] is True
    assert patched == {**put, "threshold": -15.5}


def test_deleting_a_rule_answers_204(
    stored: Stored, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = stored.rule(alice, samara)

    response = user.delete(f"/api/v1/alert-rules/{rule.id}/")

    assert response.status_code == 204
    assert_problem(user.get(f"/api/v1/alert-rules/{rule.id}/"), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/alert-rules/"),
        ("post", "/api/v1/alert-rules/"),
        ("get", f"/api/v1/alert-rules/{random_id()}/"),
        ("delete", f"/api/v1/alert-rules/{random_id()}/"),
        ("get", "/api/v1/alerts/"),
    ],
)
def test_anonymous_has_no_alert_rules_or_alerts(
    stored: Stored, anonymous: APIClient, method: str, path: str
) -> None:
    assert_problem(getattr(anonymous, method)(path, {}, format="json"), 401)


def test_alerts_are_the_callers_newest_first_and_filterable(
    stored: Stored, user: APIClient, alice: Any, bob: Any, samara: Location
) -> None:
    other = stored.location("Other", coordinates=Coordinates(1, 1))
    hot = stored.rule(alice, samara)
    cold = stored.rule(alice, other, operator="lt", threshold=0)
    first = stored.alert(hot, NOW - timedelta(hours=2))
    second = stored.alert(cold, NOW - timedelta(hours=1), value=-3)
    stored.alert(stored.rule(bob, samara), NOW)

    everything = user.get("/api/v1/alerts/").json()
    by_rule = user.get(f"/api/v1/alerts/?rule={hot.id}").json()
    by_location = user.get(f"/api/v1/alerts/?location={other.id}").json()

    assert [alert["id"] for alert in everything["results"]] == [str(second.id), str(first.id)]
    assert everything["results"][0] == {
        "id": str(second.id),
        "rule_id": str(cold.id),
        "location_id": str(other.id),
        "metric": "temperature",
        "value": -3.0,
        "threshold": 0.0,
        "operator": "lt",
        "observed_at": "2026-11-24T13:00:00Z",
        "raised_at": "2026-11-24T13:00:00Z",
        "delivered": False,
    }
    assert [alert["id"] for alert in by_rule["results"]] == [str(first.id)]
    assert [alert["id"] for alert in by_location["results"]] == [str(second.id)]


@pytest.mark.parametrize("query", ["rule=1", "location=here"])
def test_alert_filters_must_be_uuids(stored: Stored, user: APIClient, query: str) -> None:
    assert_problem(user.get(f"/api/v1/alerts/?{query}"), 400, errors=[query.split("=")[0]])


@pytest.mark.parametrize("path", ["/api/v1/alert-rules/", "/api/v1/alerts/"])
def test_rule_and_alert_lists_cost_the_same_queries_whatever_the_page_size(
    stored: Stored, user: APIClient, alice: Any, samara: Location, path: str
) -> None:
    for hour in range(12):
        stored.alert(stored.rule(alice, samara), NOW - timedelta(hours=hour))

    small = stored.count_queries(lambda: user.get(path, {"page_size": 1}))
    large = stored.count_queries(lambda: user.get(path, {"page_size": 5}))

    assert small == large == 3  # the token with its user, the page, the count


def test_reading_a_rule_costs_a_constant_number_of_queries(
    stored: Stored, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = stored.rule(alice, samara)

    assert stored.count_queries(lambda: user.get(f"/api/v1/alert-rules/{rule.id}/")) == 2
