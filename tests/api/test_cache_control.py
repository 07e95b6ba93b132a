"""`Cache-Control` and `Vary` of every API answer: which ones a shared cache may keep, how long
(`adapters/rest/cache_control.py`, docs/decisions/0023). `tests/integration/test_caching_proxy.py`
puts a real nginx in front of a server with these headers.

On SQLite only: what a header says depends on the clock and the data's times, never on storage.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from adapters.rest import cache_control
from domain.locations import Location
from tests.api.conftest import DATABASES, Stored, random_id
from tests.support.builders import NOW
from tests.support.fakes.clock import FakeClock

pytestmark = [
    pytest.mark.django_db(databases=DATABASES),
    pytest.mark.parametrize("stored", ["default"], indirect=True),
]

INTERVAL = 15 * 60  # WEATHER_REFRESH_INTERVAL_MINUTES' default, which the tests run with


@pytest.fixture
def samara(stored: Stored) -> Location:
    location = stored.location()
    stored.weather(location)  # fetched at NOW, 14:00 UTC (18:00 in Samara)
    stored.observations(location, NOW - timedelta(days=3), 72, timedelta(hours=1))
    return location


def public_reads(location: Location) -> dict[str, str]:
    weather = f"/api/v1/locations/{location.id}/weather"
    return {
        "list": "/api/v1/locations/",
        "list-with-current": "/api/v1/locations/?include=current",
        "detail": f"/api/v1/locations/{location.id}/",
        "current": f"{weather}/current/",
        "hourly": f"{weather}/forecast/",
        "daily": f"{weather}/forecast/daily/",
        "history": f"{weather}/history/",
        "summaries": f"{weather}/daily/",
    }


def directives(response: Any) -> dict[str, str | None]:
    """`Cache-Control` as a mapping: `max-age=60, public` → {"max-age": "60", "public": None}."""
    found: dict[str, str | None] = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        found[name] = value or None
    return found


def vary(response: Any) -> set[str]:
    return {field.strip().lower() for field in response.get("Vary", "").split(",") if field}


# --- public reads --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "max_age", "stale"),
    [
        ("list", 30, 30),
        ("list-with-current", 30, 30),
        ("detail", 60, 60),
        ("current", INTERVAL, 60),  # the next refresh is due in one interval
        ("hourly", INTERVAL, 60),  # 15:00 drops a point, but the refresh comes first
        ("daily", INTERVAL, 60),
        ("history", 60, 60),  # the last 24 hours: a refresh adds to them
        ("summaries", 60, 60),  # today included
    ],
)
def test_public_reads_say_how_long_a_shared_cache_may_keep_them(
    stored: Stored, anonymous: APIClient, samara: Location, read: str, max_age: int, stale: int
) -> None:
    response = anonymous.get(public_reads(samara)[read])

    assert response.status_code == 200
    assert directives(response) == {
        "public": None,
        "max-age": str(max_age),
        "stale-while-revalidate": str(stale),
    }
    assert {"accept-language", "authorization", "cookie"} <= vary(response)


def test_current_weather_is_fresh_until_the_next_refresh_is_due(
    stored: Stored, anonymous: APIClient, clock: FakeClock, samara: Location
) -> None:
    url = public_reads(samara)["current"]

    clock.advance(timedelta(minutes=10))
    ten_minutes_later = directives(anonymous.get(url))
    clock.advance(timedelta(minutes=20))
    overdue = directives(anonymous.get(url))

    assert ten_minutes_later["max-age"] == str(5 * 60)
    assert overdue["max-age"] == str(cache_control.OVERDUE_SECONDS)


def test_the_hourly_forecast_expires_when_its_first_hour_ends(
    stored: Stored, anonymous: APIClient, clock: FakeClock
) -> None:
    clock.set(NOW + timedelta(minutes=55))  # a refresh at 14:55; the 14:00 point goes at 15:00
    samara = stored.location()
    stored.weather(samara)

    assert directives(anonymous.get(public_reads(samara)["hourly"]))["max-age"] == str(5 * 60)


def test_the_daily_forecast_expires_at_the_locations_midnight(
    stored: Stored, anonymous: APIClient, clock: FakeClock
) -> None:
    clock.set(NOW + timedelta(hours=5, minutes=50))  # 19:50 UTC: 23:50 in Samara (UTC+4)
    samara = stored.location()
    stored.weather(samara)

    assert directives(anonymous.get(public_reads(samara)["daily"]))["max-age"] == str(10 * 60)


def test_history_and_summaries_of_past_days_are_kept_longer(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    weather = f"/api/v1/locations/{samara.id}/weather"

    history = anonymous.get(
        f"{weather}/history/?start=2026-11-21T14:00:00Z&end=2026-11-22T14:00:00Z"
    )
    summaries = anonymous.get(f"{weather}/daily/?start=2026-11-21&end=2026-11-23")
    until_yesterday_here = anonymous.get(f"{weather}/daily/?start=2026-11-21&end=2026-11-24")

    assert history.json()["count"] == 24
    for response in (history, summaries):
        assert directives(response) == {
            "public": None,
            "max-age": "3600",
            "stale-while-revalidate": "86400",
        }
    assert directives(until_yesterday_here)["max-age"] == "60"  # today in Samara


def test_a_not_modified_answer_says_what_the_full_one_says(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    url = public_reads(samara)["current"]
    full = anonymous.get(url)

    again = anonymous.get(url, HTTP_IF_NONE_MATCH=full["ETag"])

    assert again.status_code == 304
    assert again["Cache-Control"] == full["Cache-Control"]
    assert vary(again) == vary(full)


@pytest.mark.parametrize(
    "read", ["list", "list-with-current", "detail", "current", "hourly", "daily", "history"]
)
def test_a_caller_with_credentials_reads_the_same_answer_marked_private(
    stored: Stored, anonymous: APIClient, user: APIClient, samara: Location, read: str
) -> None:
    url = public_reads(samara)[read]

    public = anonymous.get(url)
    personal = user.get(url)

    assert personal.status_code == 200
    # The decision rests on this: nothing in a public read depends on who asks.
    assert personal.json() == public.json()
    assert personal.get("ETag") == public.get("ETag")
    assert directives(personal) == {"private": None, "max-age": directives(public)["max-age"]}
    assert vary(personal) == vary(public)


def test_a_caller_with_a_cookie_gets_a_private_answer_in_the_cookies_language(
    stored: Stored, anonymous: APIClient, samara: Location
) -> None:
    url = public_reads(samara)["current"]
    anonymous.cookies["django_language"] = "fr"

    response = anonymous.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "fr"  # so the public answers must vary on Cookie
    assert directives(response)["private"] is None
    assert "public" not in directives(response)


# --- everything else: no-store -------------------------------------------------------------------


def test_errors_are_never_stored(stored: Stored, anonymous: APIClient) -> None:
    nowhere = stored.location("Nowhere")  # no reading yet
    answers = [
        anonymous.get(f"/api/v1/locations/{nowhere.id}/weather/current/"),  # 404 of a read
        anonymous.get(f"/api/v1/locations/{random_id()}/"),
        anonymous.get("/api/v1/locations/?units=kelvin"),  # 400
        anonymous.get("/api/v1/no-such-thing/"),  # Django's 404, rewritten as a problem
        anonymous.post("/api/v1/locations/", {}, format="json"),  # 401
        anonymous.get("/api/v1/locations/", HTTP_AUTHORIZATION="Token not-a-token"),  # 401
    ]

    for response in answers:
        assert response.status_code >= 400
        assert response["Cache-Control"] == "no-store", response.request["PATH_INFO"]


def test_the_callers_own_data_and_tokens_are_never_stored(
    stored: Stored, anonymous: APIClient, user: APIClient, alice: Any, samara: Location
) -> None:
    rule = {"location_id": str(samara.id), "metric": "temperature", "operator": "gt"}
    answers = [
        anonymous.post(
            "/api/v1/auth/token/",
            {"username": "alice", "password": "correct horse battery"},
            format="json",
        ),
        user.post("/api/v1/alert-rules/", {**rule, "threshold": 30}, format="json"),
        user.get("/api/v1/alert-rules/"),
        user.get("/api/v1/alerts/"),
        user.post(f"/api/v1/locations/{samara.id}/refresh/"),
        user.post(
            "/api/v1/locations/",
            {"name": "Paris", "latitude": 48.85, "longitude": 2.35},
            format="json",
        ),
    ]
    task_id = answers[4].json()["task_id"]
    answers.append(user.get(f"/api/v1/tasks/{task_id}/"))

    for response in answers:
        assert response.status_code < 300, response.content
        assert response["Cache-Control"] == "no-store", response.request["PATH_INFO"]
