"""Authentication and permissions: tokens, sessions, anonymous reads, throttling, CORS."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
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
def still_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counters are per fixed window: a test that crossed a window's edge would start afresh."""
    monkeypatch.setattr(CountingRateThrottle, "timer", lambda self: 6000.0 + 20)


@pytest.fixture
def two_requests_a_minute(monkeypatch: pytest.MonkeyPatch, still_clock: None) -> None:
    """DRF's throttles read their rates once, at import: patch them where they are kept."""
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/min", "user": "2/min", "login_failures": "2/min"},
    )


@pytest.mark.usefixtures("two_requests_a_minute")
def test_over_the_rate_is_429_with_retry_after(stored: Stored, anonymous: APIClient) -> None:
    for _ in range(2):
        assert anonymous.get("/api/v1/locations/").status_code == 200

    response = anonymous.get("/api/v1/locations/")

    assert_problem(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60


def test_anonymous_and_authenticated_requests_are_counted_apart(
    stored: Stored,
    anonymous: APIClient,
    user: APIClient,
    monkeypatch: pytest.MonkeyPatch,
    still_clock: None,
) -> None:
    """Each request counts against exactly one rate: an anonymous client is not also held to
    the user rate, and a signed-in user's requests do not use up the anonymous allowance."""
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "3/min", "user": "1/min", "login_failures": "10/min"},
    )

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


# --- failed logins (CONTRACT.md v2 §3, API_THROTTLE_LOGIN_FAILURES) ------------------------------

RIGHT = {"username": "alice", "password": "correct horse battery"}
WRONG = {"username": "alice", "password": "wrong"}


@pytest.fixture
def three_failures_a_minute(monkeypatch: pytest.MonkeyPatch, still_clock: None) -> None:
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {"anon": "100/min", "user": "100/min", "login_failures": "3/min"},
    )


def _log_in(client: APIClient, credentials: dict[str, str], address: str = "192.0.2.1") -> Any:
    return client.post("/api/v1/auth/token/", credentials, format="json", REMOTE_ADDR=address)


def test_failed_logins_are_allowed_ten_a_minute_by_default() -> None:
    assert SimpleRateThrottle.THROTTLE_RATES["login_failures"] == "10/minute"


@pytest.mark.usefixtures("three_failures_a_minute")
def test_failed_logins_are_limited_per_username_across_addresses(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    failures = [_log_in(anonymous, WRONG, f"192.0.2.{n}").status_code for n in range(1, 4)]

    refused = _log_in(anonymous, WRONG, "198.51.100.1")
    right_password = _log_in(anonymous, RIGHT, "198.51.100.2")

    assert failures == [400, 400, 400]
    assert_problem(refused, 429)
    assert_problem(right_password, 429)
    assert 0 < int(right_password["Retry-After"]) <= 60


@pytest.mark.usefixtures("three_failures_a_minute")
def test_failed_logins_are_limited_per_address_across_usernames(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    for name in ["mallory", "trent", "eve"]:
        assert _log_in(anonymous, {"username": name, "password": "x"}).status_code == 400

    same_address = _log_in(anonymous, RIGHT, "192.0.2.1")
    other_address = _log_in(anonymous, RIGHT, "192.0.2.2")

    assert_problem(same_address, 429)
    assert other_address.status_code == 200


@pytest.mark.usefixtures("three_failures_a_minute")
def test_a_forged_x_forwarded_for_gives_no_fresh_allowance(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    """Without trusted proxies (API_NUM_PROXIES=0) the client is its connection's address."""
    for n, name in enumerate(["mallory", "trent", "eve"], start=1):
        response = anonymous.post(
            "/api/v1/auth/token/",
            {"username": name, "password": "x"},
            format="json",
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        assert response.status_code == 400

    again = anonymous.post(
        "/api/v1/auth/token/",
        RIGHT,
        format="json",
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )

    assert_problem(again, 429)


@pytest.mark.usefixtures("three_failures_a_minute")
def test_a_username_is_counted_case_folded_and_stripped(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    """Each attempt from its own address, so that only the username can be what is counted."""
    for n, name in enumerate(["ALICE", " Alice ", "alIce\t"], start=1):
        response = _log_in(anonymous, {"username": name, "password": "x"}, f"192.0.2.{n}")
        assert response.status_code == 400

    assert_problem(_log_in(anonymous, RIGHT, "198.51.100.7"), 429)


@pytest.mark.usefixtures("three_failures_a_minute")
def test_successful_logins_do_not_count(stored: Stored, anonymous: APIClient, alice: Any) -> None:
    answers = [
        _log_in(anonymous, credentials).status_code
        for credentials in [WRONG, WRONG, RIGHT, RIGHT, RIGHT, RIGHT, WRONG, RIGHT]
    ]

    assert answers == [400, 400, 200, 200, 200, 200, 400, 429]


@pytest.mark.usefixtures("three_failures_a_minute")
def test_refused_attempts_do_not_count_against_the_other_limit(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    """A locked-out address cannot lock out usernames: no password is checked past the limit, so
    nothing is counted either."""
    for name in ["mallory", "trent", "eve"]:
        _log_in(anonymous, {"username": name, "password": "x"})
    for _ in range(5):
        assert _log_in(anonymous, WRONG).status_code == 429

    assert _log_in(anonymous, RIGHT, "198.51.100.1").status_code == 200


@pytest.mark.usefixtures("three_failures_a_minute")
def test_a_locked_out_username_looks_the_same_whether_it_exists_or_not(
    stored: Stored, anonymous: APIClient, alice: Any
) -> None:
    answers = {}
    for name in ["alice", "nobody"]:
        failures = [
            _log_in(anonymous, {"username": name, "password": "x"}, f"192.0.2.{n}")
            for n in range(1, 4)
        ]
        locked = _log_in(anonymous, {"username": name, "password": "x"}, "198.51.100.1")
        answers[name] = (
            [(r.status_code, r.json()) for r in failures],
            locked.status_code,
            locked.json(),
            locked["Retry-After"],
        )
        cache.clear()  # the next name starts afresh, addresses included

    assert answers["alice"] == answers["nobody"]
    assert answers["alice"][1] == 429


@pytest.mark.usefixtures("three_failures_a_minute")
def test_failed_logins_are_allowed_again_when_the_window_closes(
    stored: Stored, anonymous: APIClient, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [6000.0 + 50]  # 50 s into a one-minute window
    monkeypatch.setattr(CountingRateThrottle, "timer", lambda self: now[0])
    for _ in range(3):
        assert _log_in(anonymous, WRONG).status_code == 400

    refused = _log_in(anonymous, RIGHT)
    now[0] += 10  # the next window
    allowed = _log_in(anonymous, RIGHT)

    body = assert_problem(refused, 429)
    assert refused["Retry-After"] == "10"
    assert "10 seconds" in body["detail"]
    assert allowed.status_code == 200


@pytest.mark.usefixtures("three_failures_a_minute")
def test_a_long_or_odd_username_is_counted_under_a_key_of_bounded_size(
    stored: Stored, anonymous: APIClient
) -> None:
    """Memcached refuses keys with spaces or control characters or over 250 characters, and
    Django warns of them on every backend; the username is hashed into the key."""
    odd = "\u00e9 " * 70 + "\x7f\u2028<script>"  # 149 characters, with spaces and controls
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        answers = [
            _log_in(anonymous, {"username": odd, "password": "x"}, f"192.0.2.{n}").status_code
            for n in range(1, 5)
        ]

    assert answers == [400, 400, 400, 429]
