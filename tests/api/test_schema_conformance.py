"""Schemathesis against the app's own OpenAPI schema: whatever the input, no 5xx, and every status
code, content type and body is one the schema documents. Run anonymous and authenticated.

Examples are few per operation (the suite must stay fast); the generated ids mostly miss, so the
error paths (400, 401, 403, 404, 415) get most of the attention, which is the point.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from adapters.in_memory.clock import FakeClock
from adapters.in_memory.providers import FakeGeocoder
from adapters.in_memory.task_queue import FakeTaskQueue
from server_config.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = 12

#: Whether a schema-valid request must succeed (a valid UUID that names no location is a 404; a
#: valid password that is wrong is a 400) and a schema-invalid one must fail (an empty `?rule=`
#: means "no filter") are questions of business rules, not of conformance: left out.
SEMANTIC_CHECKS = [positive_data_acceptance, negative_data_rejection]


@pytest.fixture(autouse=True)
def _fakes(
    clock: FakeClock,
    tasks: FakeTaskQueue,
    geocoder: FakeGeocoder,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    # Thousands of requests from one client: throttling would turn most of them into 429s.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/min", "user": "100000/min"}
    )
    # Requests go through the WSGI handler, which closes database connections at their start and
    # end; the test's transaction lives on one of them. Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token() -> str:
    user = get_user_model().objects.create_user("schemathesis", password="x" * 20, is_staff=True)
    return str(Token.objects.create(user=user).key)


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_requests_conform_to_the_schema(case: Any) -> None:
    case.call_and_validate(excluded_checks=SEMANTIC_CHECKS)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_authenticated_requests_conform_to_the_schema(case: Any, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"}, excluded_checks=SEMANTIC_CHECKS
    )
