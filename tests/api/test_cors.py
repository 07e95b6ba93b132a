"""Browser clients (CONTRACT.md v2 §3): with CORS_ALLOWED_ORIGINS set, a preflight from those
origins is allowed the API's methods and the headers a frontend sends, and every answer exposes
to scripts the headers a frontend reads; other origins get no CORS headers at all."""

from __future__ import annotations

import pytest
from pytest_django import Settings as SettingsWrapper
from rest_framework.test import APIClient

from tests.api.conftest import DATABASES, Stored

pytestmark = pytest.mark.django_db(databases=DATABASES)

FRONTEND = "https://app.example"
SENT = [
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "If-None-Match",
    "X-Request-ID",
    "Last-Event-ID",
]
READ = ["ETag", "Location", "Retry-After", "X-Request-ID", "Content-Language"]


@pytest.fixture(autouse=True)
def _frontend(settings: SettingsWrapper) -> None:
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]


def _preflight(client: APIClient, origin: str, method: str, headers: list[str]) -> object:
    return client.options(
        "/api/v1/locations/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=", ".join(headers),
    )


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_a_preflight_from_the_frontend_allows_the_apis_methods_and_headers(
    stored: Stored, anonymous: APIClient, method: str
) -> None:
    response = _preflight(anonymous, FRONTEND, method, SENT)

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Access-Control-Allow-Origin"] == FRONTEND  # type: ignore[index]
    allowed_methods = response["Access-Control-Allow-Methods"]  # type: ignore[index]
    assert method in [m.strip() for m in allowed_methods.split(",")]
    allowed = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}  # type: ignore[index]
    assert {header.lower() for header in SENT} <= allowed


def test_answers_expose_what_a_script_must_read(stored: Stored, anonymous: APIClient) -> None:
    samara = stored.location()

    response = anonymous.get(f"/api/v1/locations/{samara.id}/", HTTP_ORIGIN=FRONTEND)

    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {header.lower() for header in READ} <= exposed


def test_another_origin_gets_no_cors_headers(stored: Stored, anonymous: APIClient) -> None:
    preflight = _preflight(anonymous, "https://evil.example", "DELETE", SENT)
    read = anonymous.get("/api/v1/locations/", HTTP_ORIGIN="https://evil.example")

    for response in (preflight, read):
        assert not [name for name in response.headers if name.lower().startswith("access-control")]  # type: ignore[attr-defined]
