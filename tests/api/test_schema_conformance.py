"""Schemathesis against the app's own OpenAPI schema, every check on (`--checks all`): whatever the
input, no 5xx; every status code, content type, header and body is one the schema documents; a
request the schema allows is not refused as invalid (`positive_data_acceptance`) and one it
forbids is refused (`negative_data_rejection`). Run anonymous and authenticated, one operation at
a time and in sequences that follow the schema's links (a created location's id into its reads,
updates, deletion, weather, refresh and alert rules), so that real ids are exercised, not only
404s.

Where validity is a business rule no schema can state, the test says so here, and nowhere else:

- `POST /auth/token/` answers 400 to credentials that do not exist (CONTRACT.md §3);
- history and daily summaries answer 400 to a reversed or too long range: a rule between two
  parameters (CONTRACT.md §3, "reversed ranges");
- an alert rule's `location_id` must name a stored location, and its webhook must parse and
  resolve to a public address: a generated valid request gets a stored location and a public
  webhook (`_valid_in_the_stored_state`), and a PATCH that sets only one of metric and threshold
  gets the other, since the range that applies is the stored rule's (the schema states the
  ranges). Every host resolves at once to a public address (`_no_dns`): no DNS query leaves.

Examples are few per operation: the suite runs on every CI build and must stay fast.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import schemathesis
from dependency_injector import providers
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from adapters.notifications.webhooks import WebhookNotifier
from application.pagination import PageRequest
from domain.alerts import Metric
from domain.locations import MAX_ELEVATION_METRES, MIN_ELEVATION_METRES, Coordinates, Location
from server_config.container import container
from server_config.wsgi import application
from tests.api.conftest import Stored
from tests.support.builders import NOW
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeGeocoder
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db

EXAMPLES = 12
SEQUENCES = 25
STEPS = 6

#: A webhook by address: validation resolves the host, and the tests have no DNS server.
PUBLIC_HOOK = "https://93.184.216.34/weather"
ALERT_RULE_WRITES = {"alert_rules_create", "alert_rules_update", "alert_rules_partial_update"}
#: Where `Stored.location()` puts Samara.
SAMARA = Coordinates(53.2, 50.15)
#: Schemathesis's default statuses of `positive_data_acceptance`, and 400.
ACCEPTED_OR_400 = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]

CONFIG = schemathesis.Config.from_dict(
    {
        "operations": [
            {
                "include-operation-id": [
                    "auth_token_create",
                    "locations_weather_history_retrieve",
                    "locations_weather_daily_retrieve",
                ],
                "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_OR_400}},
            }
        ]
    }
)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


def _valid_in_the_stored_state(case: Any) -> None:
    """A request the schema allows, made valid for what only the stored state decides; just
    before it is sent, since the database is the test's."""
    operation_id = case.operation.definition.raw.get("operationId")
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if operation_id == "events_retrieve" and positive and isinstance(case.query, dict):
        # A stream follows locations that exist (an unknown one is a 400, CONTRACT.md §4).
        if "location" in case.query:
            case.query["location"] = [str(_stored_location_id())]
        return
    body = case.body
    if (
        case.operation.definition.raw.get("operationId") not in ALERT_RULE_WRITES
        or case.meta is None
        or not case.meta.generation.mode.is_positive
        or not isinstance(body, dict)
    ):
        return
    if "location_id" in body and not _names_a_location(body["location_id"]):
        body["location_id"] = str(_stored_location_id())
    if isinstance(body.get("webhook_url"), str) and body["webhook_url"].strip():
        body["webhook_url"] = PUBLIC_HOOK
    if "threshold" in body and "metric" not in body:
        body["metric"] = next(
            metric.value
            for metric in Metric
            if metric.threshold_range[0] <= body["threshold"] <= metric.threshold_range[1]
        )
    if "metric" in body and "threshold" not in body:
        body["threshold"] = Metric(body["metric"]).threshold_range[0]


def _names_a_location(location_id: str) -> bool:
    with container.unit_of_work() as uow:
        return uow.locations.get(uuid.UUID(location_id)) is not None


def _stored_location_id() -> uuid.UUID:
    """A stored location: the first by name, or Samara again if a sequence deleted them all."""
    with container.unit_of_work() as uow:
        first = uow.locations.search(text=None, country_code=None, page=PageRequest(1, 1))
        if first.items:
            return first.items[0].id
        samara = Location.register(name="Samara", coordinates=SAMARA, now=NOW)
        uow.locations.add(samara)
        uow.commit()
    return samara.id


@pytest.fixture(autouse=True)
def _fakes(
    clock: FakeClock,
    tasks: FakeTaskQueue,
    geocoder: FakeGeocoder,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    # Thousands of requests from one client: throttling would turn most of them into 429s.
    rates = {scope: "100000/min" for scope in SimpleRateThrottle.THROTTLE_RATES}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    # Requests go through the WSGI handler, which closes database connections at their start and
    # end; the test's transaction lives on one of them. Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _every_name_is_public(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """A resolver that answers at once, with a public address, so that no generated webhook host
    makes the validation ask a DNS server."""
    return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("93.184.216.34", 443))]


@pytest.fixture(autouse=True)
def _no_dns() -> Iterator[None]:
    notifier = WebhookNotifier(resolver=_every_name_is_public)
    with container.notifier.override(providers.Object(notifier)):
        yield


@pytest.fixture(autouse=True)
def samara(clock: FakeClock, tasks: FakeTaskQueue) -> None:
    """A location with weather, for the lists to show and alert rules to watch."""
    stored = Stored(alias="default", clock=clock)
    stored.weather(stored.location())


@pytest.fixture
def token() -> str:
    user = get_user_model().objects.create_user("schemathesis", password="x" * 20, is_staff=True)
    return str(Token.objects.create(user=user).key)


# --- one operation at a time ---------------------------------------------------------------------


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_requests_conform_to_the_schema(case: Any) -> None:
    _valid_in_the_stored_state(case)
    case.call_and_validate()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_authenticated_requests_conform_to_the_schema(case: Any, token: str) -> None:
    _valid_in_the_stored_state(case)
    case.call_and_validate(headers={"Authorization": f"Token {token}"})


# --- sequences along the links -------------------------------------------------------------------

SEQUENCE_SETTINGS = settings(
    max_examples=SEQUENCES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


class Sequences(schema.as_state_machine()):  # type: ignore[misc]
    """Schemathesis's state machine for the schema's links, sending `headers` with every call
    and telling the checks it did (so `ignored_auth` knows the token is the caller's own)."""

    headers: ClassVar[dict[str, str]] = {}

    def setup(self) -> None:
        """Each sequence starts from the test's stored state, so that Hypothesis, replaying one
        to shrink it, sees the same answers (responses feed the next steps' inputs)."""
        self.savepoint = transaction.savepoint()

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)
        cache.clear()  # the repositories' cache, which no rollback reaches

    def before_call(self, case: Any) -> None:
        _valid_in_the_stored_state(case)

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": self.headers}

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(
            response,
            additional_checks=additional_checks,
            headers=self.headers or None,
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


def test_anonymous_sequences_conform_to_the_schema() -> None:
    Sequences.run(settings=SEQUENCE_SETTINGS)


def test_authenticated_sequences_conform_to_the_schema(token: str) -> None:
    class AuthenticatedSequences(Sequences):
        headers: ClassVar[dict[str, str]] = {"Authorization": f"Token {token}"}

    AuthenticatedSequences.run(settings=SEQUENCE_SETTINGS)


# --- what the schema states ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    """The schema as the API serves it (schemathesis adds the links it infers to its copy)."""
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _component(served: dict[str, Any], name: str) -> dict[str, Any]:
    component: dict[str, Any] = served["components"]["schemas"][name]
    return component


def test_the_schema_states_the_numbers_and_ranges_of_a_location(served: dict[str, Any]) -> None:
    properties = _component(served, "LocationWriteRequest")["properties"]

    assert properties["latitude"] == {**properties["latitude"], "type": "number"}
    assert (properties["latitude"]["minimum"], properties["latitude"]["maximum"]) == (-90, 90)
    assert (properties["elevation"]["minimum"], properties["elevation"]["maximum"]) == (
        MIN_ELEVATION_METRES,
        MAX_ELEVATION_METRES,
    )
    assert "Europe/Paris" in _component(served, "TimezoneEnum")["enum"]


def test_the_schema_states_each_metrics_threshold_range(served: dict[str, Any]) -> None:
    branches = _component(served, "AlertRuleWriteRequest")["anyOf"]

    stated = {
        metric: (
            branch["properties"]["threshold"]["minimum"],
            branch["properties"]["threshold"]["maximum"],
        )
        for branch in branches
        for metric in branch["properties"]["metric"]["pattern"].strip("^()$").split("|")
    }

    assert stated == {metric.value: metric.threshold_range for metric in Metric}


def test_every_link_leads_to_an_operation_of_the_schema(served: dict[str, Any]) -> None:
    operations = {
        operation["operationId"]
        for path in served["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    links = [
        (operation["operationId"], name, link["operationId"])
        for path in served["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
        for response in operation.get("responses", {}).values()
        for name, link in response.get("links", {}).items()
    ]

    assert {target for _, _, target in links} <= operations
    assert ("locations_create", "GetLocation", "locations_retrieve") in links
    assert ("alert_rules_create", "DeleteAlertRule", "alert_rules_destroy") in links
    assert ("locations_refresh_create", "GetTaskStatus", "tasks_retrieve") in links
