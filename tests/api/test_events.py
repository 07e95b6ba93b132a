"""``/api/v1/events/`` through the Django test client: what is decided before a stream starts
(who it is for, which locations, where it resumes; problems otherwise) and the tickets.

The test client reads a stream to its end, which ``EVENT_STREAM_MAX_SECONDS`` (0.3 s in the test
settings) brings soon. What streams deliver, from other processes, is
``tests/integration/test_event_stream.py``'s, against a real ASGI server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from dependency_injector import providers
from django.db import connections
from rest_framework.test import APIClient

from adapters.persistence.events.wakeups import event_wakeups_for
from adapters.rest import event_stream
from server_config.container import container
from tests.api.conftest import DATABASES, UNKNOWN_ID, Stored, assert_problem
from tests.support.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)


@pytest.fixture(autouse=True)
def _streams_leave_no_connection(stored: Stored) -> Iterator[None]:
    """Wake-ups of the test's own, and no connection left in the readers' pool afterwards: the
    test databases are dropped at the end of the run, which an open session prevents."""
    wakeups = event_wakeups_for(stored.alias)
    with container.event_wakeups.override(providers.Object(wakeups)):
        yield
    wakeups.close()  # type: ignore[attr-defined]
    workers = event_stream.READERS._max_workers
    barrier = threading.Barrier(workers, timeout=10)

    def close_in_this_thread() -> None:
        barrier.wait()  # every pool thread runs one of these, so each closes its own
        connections.close_all()

    for closing in [event_stream.READERS.submit(close_in_this_thread) for _ in range(workers)]:
        closing.result()


def body_of(response: Any) -> str:
    return b"".join(response).decode()


def test_a_stream_is_an_event_stream_that_starts_with_its_retry_hint_and_keeps_alive(
    stored: Stored, anonymous: APIClient
) -> None:
    response = anonymous.get("/api/v1/events/", HTTP_ACCEPT="text/event-stream")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert "no-cache" in response["Cache-Control"]
    body = body_of(response)
    assert body.startswith("retry: 3000\n\n")
    assert ": keep-alive\n\n" in body


@pytest.mark.parametrize(
    ("query", "headers", "field"),
    [
        ("?location=oslo", {}, "location.0"),
        (f"?location={UNKNOWN_ID}", {}, "location"),
        ("?last_event_id=-1", {}, "last_event_id"),
        ("", {"HTTP_LAST_EVENT_ID": "seven"}, "Last-Event-ID"),
    ],
)
def test_what_a_stream_cannot_start_from_is_a_400_before_streaming(
    stored: Stored, anonymous: APIClient, query: str, headers: dict[str, Any], field: str
) -> None:
    response = anonymous.get(f"/api/v1/events/{query}", **headers)

    assert_problem(response, 400, errors=[field])


def test_an_existing_location_may_be_followed(stored: Stored, anonymous: APIClient) -> None:
    samara = stored.location()

    response = anonymous.get(f"/api/v1/events/?location={samara.id}")

    assert response.status_code == 200
    body_of(response)


def test_a_ticket_is_for_an_authenticated_caller_and_valid_a_minute(
    stored: Stored, user: APIClient, anonymous: APIClient
) -> None:
    assert_problem(anonymous.post("/api/v1/events/tickets/"), 401)

    response = user.post("/api/v1/events/tickets/")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"ticket", "expires_at"}
    assert len(body["ticket"]) >= 43
    expires = (NOW + timedelta(seconds=60)).isoformat().replace("+00:00", "Z")
    assert body["expires_at"] == expires
    assert response["Cache-Control"] == "no-store"


def test_a_ticket_opens_one_stream_and_is_refused_afterwards(
    stored: Stored, user: APIClient, anonymous: APIClient
) -> None:
    ticket = user.post("/api/v1/events/tickets/").json()["ticket"]

    first = anonymous.get(f"/api/v1/events/?ticket={ticket}")
    assert first.status_code == 200
    body_of(first)

    assert_problem(anonymous.get(f"/api/v1/events/?ticket={ticket}"), 401)
    assert_problem(anonymous.get("/api/v1/events/?ticket=made-up"), 401)


def test_an_expired_ticket_is_refused(
    stored: Stored, user: APIClient, anonymous: APIClient
) -> None:
    ticket = user.post("/api/v1/events/tickets/").json()["ticket"]
    stored.clock.advance(timedelta(seconds=61))

    assert_problem(anonymous.get(f"/api/v1/events/?ticket={ticket}"), 401)


def test_a_bad_token_is_refused_as_everywhere_in_the_api(
    stored: Stored, anonymous: APIClient
) -> None:
    response = anonymous.get("/api/v1/events/", HTTP_AUTHORIZATION="Token nope")

    assert_problem(response, 401)


def test_the_schema_documents_the_stream_as_text_event_stream(anonymous: APIClient) -> None:
    schema = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/events/"]["get"]

    assert "text/event-stream" in operation["responses"]["200"]["content"]
    parameters = {(p["in"], p["name"]) for p in operation["parameters"]}
    assert {
        ("query", "location"),
        ("query", "last_event_id"),
        ("query", "ticket"),
        ("header", "Last-Event-ID"),
    } <= parameters
    assert "201" in schema["paths"]["/api/v1/events/tickets/"]["post"]["responses"]


def test_the_access_line_never_shows_a_ticket(
    stored: Stored, user: APIClient, anonymous: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    ticket = user.post("/api/v1/events/tickets/").json()["ticket"]

    with caplog.at_level("INFO", logger="django.server"):
        body_of(anonymous.get(f"/api/v1/events/?ticket={ticket}&location_x=1"))

    (line,) = [r.getMessage() for r in caplog.records if r.name == "django.server"]
    assert "/api/v1/events/?ticket=***&location_x=1" in line
    assert ticket not in caplog.text
