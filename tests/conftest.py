"""Test-suite wiring: a marker per directory, and the rule for tests that need a real service.

``tests/unit`` is pure Python (no Django, no I/O); ``tests/integration`` talks to real databases,
brokers, processes and stub HTTP servers; ``tests/api`` goes through HTTP; ``tests/faults`` stops
and starts private services under a running deployment. ``-m unit`` and friends
select them. A test that needs PostgreSQL or RabbitMQ asks for the ``postgres_url`` or
``broker_url`` fixture: it is skipped when the URL is not configured, except in CI, where a missing
service must fail the run rather than quietly shrink it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent
_DIRECTORY_MARKERS = {
    "unit": pytest.mark.unit,
    "integration": pytest.mark.integration,
    "api": pytest.mark.api,
    "faults": pytest.mark.faults,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(item.path).relative_to(TESTS_DIR)
        marker = _DIRECTORY_MARKERS.get(relative.parts[0])
        if marker is not None:
            item.add_marker(marker)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def required_service_url(variable: str) -> str:
    """The URL of a real service for this test, or skip (fail in CI) when none is configured."""
    url = os.environ.get(variable, "")
    if not url:
        message = f"{variable} is not set"
        if in_ci():
            pytest.fail(f"{message}: CI must run the tests that need this service")
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_url() -> str:
    return required_service_url("TEST_DATABASE_URL")


@pytest.fixture
def broker_url() -> str:
    return required_service_url("TEST_BROKER_URL")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: what one test read must not answer the next."""
    if "django" not in sys.modules:  # tests/unit runs without Django
        return
    from django.conf import settings

    if settings.configured:
        from django.core.cache import caches

        caches["default"].clear()
