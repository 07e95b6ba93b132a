"""`/api/v1/alert-rules/` and `/api/v1/alerts/`: private to their owner (CONTRACT.md §4, Alerts)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, cast

import pytest
from dependency_injector import providers
from rest_framework.test import APIClient

from adapters.notifications.webhooks import WebhookNotifier
from domain.locations import Coordinates, Location
from server_config.container import container
from tests.api.conftest import DATABASES, UNKNOWN_ID, Stored, assert_problem, random_id
from tests.support.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)

#: Webhooks by address, so that validation (which resolves the host) needs no DNS server.
PUBLIC_HOOK = "https://93.184.216.34/weather"

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
        a_rule(samara, webhook_url=PUBLIC_HOOK),
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == RULE_FIELDS
    assert body["metric"] == "wind_gusts"
    assert body["threshold"] == 70.0
    assert body["active"] is True
    assert body["webhook_url"] == PUBLIC_HOOK
    assert body["created_at"] == "2026-11-24T14:00:00Z"
    assert user.get(f"/api/v1/alert-rules/{body['id']}/").json() == body


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"metric": "snow_depth"}, ["metric"]),
        ({"operator": "eq"}, ["operator"]),
        ({"threshold": "high"}, ["threshold"]),
        ({"threshold": "70"}, ["threshold"]),
        ({"threshold": True}, ["threshold"]),
        ({"threshold": 1e300}, ["threshold"]),
        ({"threshold": -0.5}, ["threshold"]),  # wind_gusts
        ({"threshold": 500.5}, ["threshold"]),
        ({"metric": "relative_humidity", "threshold": 100.5}, ["threshold"]),
        ({"metric": "temperature", "threshold": 70.5}, ["threshold"]),
        ({"metric": "apparent_temperature", "threshold": -100.5}, ["threshold"]),
        ({"active": "yes"}, ["active"]),
        ({"location_id": 7}, ["location_id"]),
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


# --- thresholds: within their metric's physical range (CONTRACT.md §4 Alerts) -------------------


@pytest.mark.parametrize(
    ("metric", "low", "high"),
    [
        ("temperature", -100, 70),
        ("apparent_temperature", -100, 70),
        ("wind_speed", 0, 500),
        ("wind_gusts", 0, 500),
        ("precipitation", 0, 500),
        ("relative_humidity", 0, 100),
    ],
)
def test_a_threshold_may_be_anywhere_in_its_metrics_range(
    stored: Stored, user: APIClient, samara: Location, metric: str, low: int, high: int
) -> None:
    for threshold in (low, high):
        response = user.post(
            "/api/v1/alert-rules/",
            a_rule(samara, metric=metric, threshold=threshold),
            format="json",
        )
        assert response.status_code == 201, response.content


def test_a_patched_threshold_is_checked_against_the_rules_metric(
    stored: Stored, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = stored.rule(alice, samara, metric="relative_humidity", threshold=90.0)
    url = f"/api/v1/alert-rules/{rule.id}/"

    too_humid = user.patch(url, {"threshold": 150}, format="json")
    metric_only = user.patch(url, {"metric": "temperature"}, format="json")
    both = user.patch(url, {"metric": "wind_speed", "threshold": 150}, format="json")

    assert_problem(too_humid, 400, errors=["threshold"])
    assert_problem(metric_only, 400, errors=["threshold"])  # 90 °C is out of range
    assert both.status_code == 200, both.content
    assert (both.json()["metric"], both.json()["threshold"]) == ("wind_speed", 150.0)


# --- webhook targets: refused at validation exactly as the delivery would refuse them ------------

#: Every spelling the resolver takes for a loopback address, and the loopback name.
LOOPBACK_HOOKS = [
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::1]/",
    "http://localhost/",
]


@pytest.fixture
def private_webhooks_allowed() -> Iterator[None]:
    """The deployment's ``ALERT_WEBHOOK_ALLOW_PRIVATE=true``, as the container is configured."""
    notifier = cast(providers.Singleton[WebhookNotifier], container.notifier)
    with container.config.alerts.allow_private_webhooks.override(True):
        notifier.reset()  # the next one is built with the setting
        yield
    notifier.reset()


@pytest.fixture
def no_name_resolves() -> Iterator[None]:
    """A resolver for which no name exists (as for ``.invalid``), without asking a DNS server."""

    def nxdomain(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with container.notifier.override(providers.Object(WebhookNotifier(resolver=nxdomain))):
        yield


@pytest.mark.parametrize("url", LOOPBACK_HOOKS)
def test_a_loopback_webhook_is_400_naming_the_field_on_post_and_patch(
    stored: Stored, user: APIClient, alice: Any, samara: Location, url: str
) -> None:
    rule = stored.rule(alice, samara, webhook_url=PUBLIC_HOOK)

    posted = user.post("/api/v1/alert-rules/", a_rule(samara, webhook_url=url), format="json")
    patched = user.patch(f"/api/v1/alert-rules/{rule.id}/", {"webhook_url": url}, format="json")

    for response in (posted, patched):
        body = assert_problem(response, 400, errors=["webhook_url"])
        assert "loopback or private" in body["errors"]["webhook_url"][0]
    assert user.get("/api/v1/alert-rules/").json()["count"] == 1
    assert user.get(f"/api/v1/alert-rules/{rule.id}/").json()["webhook_url"] == PUBLIC_HOOK


@pytest.mark.usefixtures("no_name_resolves")
def test_a_webhook_whose_name_does_not_resolve_is_400_on_post_and_patch(
    stored: Stored, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = stored.rule(alice, samara)
    url = "https://hooks.nowhere.invalid/alert"

    posted = user.post("/api/v1/alert-rules/", a_rule(samara, webhook_url=url), format="json")
    patched = user.patch(f"/api/v1/alert-rules/{rule.id}/", {"webhook_url": url}, format="json")

    for response in (posted, patched):
        body = assert_problem(response, 400, errors=["webhook_url"])
        assert "does not resolve" in body["errors"]["webhook_url"][0]


def test_a_public_webhook_is_accepted_on_patch(
    stored: Stored, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = stored.rule(alice, samara)

    response = user.patch(
        f"/api/v1/alert-rules/{rule.id}/",
        {"webhook_url": "http://8.8.8.8:8080/hook"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["webhook_url"] == "http://8.8.8.8:8080/hook"


@pytest.mark.usefixtures("private_webhooks_allowed")
@pytest.mark.parametrize("url", LOOPBACK_HOOKS)
def test_loopback_webhooks_are_accepted_when_the_deployment_allows_private_ones(
    stored: Stored, user: APIClient, alice: Any, samara: Location, url: str
) -> None:
    rule = stored.rule(alice, samara)

    posted = user.post("/api/v1/alert-rules/", a_rule(samara, webhook_url=url), format="json")
    patched = user.patch(f"/api/v1/alert-rules/{rule.id}/", {"webhook_url": url}, format="json")

    assert (posted.status_code, patched.status_code) == (201, 200), (
        posted.content,
        patched.content,
    )
    assert posted.json()["webhook_url"] == patched.json()["webhook_url"] == url


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
        ("get", f"/api/v1/alert-rules/{UNKNOWN_ID}/"),
        ("delete", f"/api/v1/alert-rules/{UNKNOWN_ID}/"),
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


def test_deleting_a_user_deletes_their_rules_and_alerts_but_not_their_locations(
    stored: Stored, other_user: APIClient, alice: Any, bob: Any
) -> None:
    alices = stored.location("Alice's", coordinates=Coordinates(1, 1), created_by=alice)
    hers = stored.rule(alice, alices)
    her_alert = stored.alert(hers, NOW)
    his = stored.rule(bob, alices)
    his_alert = stored.alert(his, NOW)

    stored.delete_account(alice)

    with stored.uow() as uow:
        assert uow.alerts.get_rule(hers.id) is None
        assert uow.alerts.get_alert(her_alert.id) is None
        assert uow.alerts.get_rule(his.id) == his
        assert uow.alerts.get_alert(his_alert.id) == his_alert
        kept = uow.locations.get(alices.id)
    assert kept is not None
    assert kept.created_by is None
    assert other_user.get(f"/api/v1/alert-rules/{his.id}/").status_code == 200


@pytest.mark.parametrize("query", ["rule=1", "location=here", "rule=", "location="])
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
