"""Every persistence test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.conftest import required_service_url

#: The database aliases the tests may touch: pytest-django creates a test database for each.
DATABASES = ["default", *(["postgres"] if "postgres" in settings.DATABASES else [])]


@pytest.fixture(params=["default", "postgres"], ids=["sqlite", "postgresql"])
def alias(request: pytest.FixtureRequest) -> str:
    """The database alias under test (skipped, or failed in CI, when PostgreSQL is not set up)."""
    if request.param == "postgres":
        required_service_url("TEST_DATABASE_URL")
    return str(request.param)
