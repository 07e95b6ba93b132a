"""Authentication and permissions: tokens, sessions, anonymous reads, throttling, CORS."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings as SettingsWrapper
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from adapters.rest.throttling import CountingRateThrottle
from tests.api.conftest import DATABASES, Stored, assert_problem

pytestmark = pytest.mark.django_db(databases=DATABASES)

PARIS = {"name": "Paris", "latitude": 48.8534, "longitude": 2.3488}


def test_a_user_gets_a_token_for_good_credentials_and_it_authenticates(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    response = anonymous.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": "correct horse battery"},
        format="json",
    )

    assert response.status_code == 200
    token = response.json()["token"]
    assert set(response.json()) == {"token"}
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anonymous.post("/api/v1/locations/", PARIS, format="json").status_code == 201


def test_the_same_user_gets_the_same_token(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    credentials = {"username": "alice", "password": "correct horse battery"}

    first = anonymous.post("/api/v1/auth/token/", credentials, format="json").json()
    second = anonymous.post("/api/v1/auth/token/", credentials, format="json").json()

    assert first == second


@pytest.mark.parametrize(
    ("credentials", "errors"),
    [
        ({"username": "alice", "password": "wrong"}, ["non_field_errors"]),
        ({"username": "nobody", "password": "x"}, ["non_field_errors"]),
        ({"username": "alice"}, ["password"]),
    ],
)
def test_bad_credentials_are_400(
    stored: Stored, anonymous: APIClient, alice: Any, credentials: dict[str, str], errors: list[str]
) -> None:
    response = anonymous.post("/api/v1/auth/token/", credentials, format="json")

    assert_problem(response, 400, errors=errors)


def test_an_inactive_user_gets_no_token(stored: Stored, anonymous: APIClient, alice: Any) -> None:
    alice.is_active = False
    alice.save()

    response = anonymous.post(
        "/api/v1/auth/token/",
        {"username": "alice", "password": "correct horse battery"},
        format="json",
    )

    assert_problem(response, 400)


def test_a_session_authenticates_and_writes_need_the_csrf_token(stored: Stored, alice: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    without_csrf = browser.post("/api/v1/locations/", PARIS, content_type="application/json")
    rules = browser.get("/api/v1/alert-rules/")

    assert_problem(without_csrf, 403)
    assert rules.status_code == 200


def test_anonymous_reads_locations_and_weather(stored: Stored, anonymous: APIClient) -> None:
    samara = stored.location()
    stored.weather(samara)

    for path in [
        "/api/v1/locations/",
        f"/api/v1/locations/{samara.id}/",
        f"/api/v1/locations/{samara.id}/weather/current/",
        f"/api/v1/locations/{samara.id}/weather/forecast/",
        f"/api/v1/locations/{samara.id}/weather/forecast/daily/",
        f"/api/v1/locations/{samara.id}/weather/history/",
        f"/api/v1/locations/{samara.id}/weather/daily/",
    ]:
        assert anonymous.get(path).status_code == 200, path


@pytest.fixture
def two_requests_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """DRF's throttles read their rates once, at import: patch them where they are kept."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min"})


@pytest.mark.usefixtures("two_requests_a_minute")
def test_over_the_rate_is_429_with_retry_after(stored: Stored, anonymous: APIClient) -> None:
    for _ in range(2):
        assert anonymous.get("/api/v1/locations/").status_code == 200

    response = anonymous.get("/api/v1/locations/")

    assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60


def test_anonymous_and_authenticated_requests_are_counted_apart(
    stored: Stored, anonymous: APIClient, user: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each request counts against exactly one rate: an anonymous client is not also held to
    the user rate, and a signed-in user's requests do not use up the anonymous allowance."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "1/min"})

    anonymous_answers = [anonymous.get("/api/v1/locations/").status_code for _ in range(4)]
    user_answers = [user.get("/api/v1/locations/").status_code for _ in range(2)]

    assert anonymous_answers == [200, 200, 200, 429]
    assert user_answers == [200, 429]


@pytest.mark.usefixtures("two_requests_a_minute")
def test_the_allowance_comes_back_when_the_window_closes(
    stored: Stored, anonymous: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [6000.0 + 45]  # 45 s into a one-minute window
    monkeypatch.setattr(CountingRateThrottle, "timer", lambda self: now[0])
    for _ in range(2):
        assert anonymous.get("/api/v1/locations/").status_code == 200

    refused = anonymous.get("/api/v1/locations/")
    now[0] += 15  # the next window
    allowed = anonymous.get("/api/v1/locations/")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"
    assert allowed.status_code == 200


def test_throttle_rates_come_from_the_settings() -> None:
    from django.conf import settings

    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == SimpleRateThrottle.THROTTLE_RATES


def test_cors_allows_the_configured_frontend(
    stored: Stored, anonymous: APIClient, settings: SettingsWrapper
) -> None:
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]

    allowed = anonymous.get("/api/v1/locations/", HTTP_ORIGIN="https://app.example")
    refused = anonymous.get("/api/v1/locations/", HTTP_ORIGIN="https://evil.example")
    problem = anonymous.get("/api/v1/nowhere/", HTTP_ORIGIN="https://app.example")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.example"
    assert not refused.has_header("Access-Control-Allow-Origin")
    assert problem["Access-Control-Allow-Origin"] == "https://app.example"
