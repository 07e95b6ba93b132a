"""Every persistence test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.conftest import required_service_url
from tests.support.accounts import the_builders_accounts

#: The database aliases the tests may touch: pytest-django creates a test database for each.
DATABASES = ["default", *(["postgres"] if "postgres" in settings.DATABASES else [])]


@pytest.fixture(params=["default", "postgres"], ids=["sqlite", "postgresql"])
def alias(request: pytest.FixtureRequest) -> str:
    """The database alias under test (skipped, or failed in CI, when PostgreSQL is not set up),
    holding the accounts that the builders' rules belong to (rules need a real owner)."""
    if request.param == "postgres":
        required_service_url("TEST_DATABASE_URL")
    the_builders_accounts(request.param)
    return str(request.param)
