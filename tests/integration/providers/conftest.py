"""Stub servers and provider clients wired to them, with every timeout and backoff tiny.

The stub server is pytest-httpserver's, started once and threaded (a handler that sleeps to
provoke a timeout must not hold up the client's retry); each test starts with it cleared.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from adapters.in_memory.clock import FakeClock
from adapters.providers.http import ResiliencePolicy
from adapters.providers.met_norway import MetNorwayProvider
from adapters.providers.open_meteo import OpenMeteoArchive, OpenMeteoGeocoder, OpenMeteoProvider

FAST = ResiliencePolicy(
    retries=2,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    retry_after_max=2,
    failures_to_open=3,
    reset_timeout_seconds=0.3,
)
"""Retries and breaker as in production, on a timescale a test can afford."""

TIMEOUT_SECONDS = 2.0
USER_AGENT = "f-brain-backend/test ops@example.org"
FORECAST_PATH = "/v1/forecast"
GEOCODING_PATH = "/v1/search"
ARCHIVE_PATH = "/v1/archive"
MET_PATH = "/weatherapi/locationforecast/2.0/compact"


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """Overrides the plugin's server with a threaded one (same lifetime, same clearing)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 9, 15, 8, 5, tzinfo=UTC))


@pytest.fixture
def open_meteo(httpserver: HTTPServer, clock: FakeClock) -> OpenMeteoProvider:
    return OpenMeteoProvider(
        base_url=httpserver.url_for(FORECAST_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        policy=FAST,
        clock=clock,
    )


@pytest.fixture
def geocoder(httpserver: HTTPServer) -> OpenMeteoGeocoder:
    return OpenMeteoGeocoder(
        base_url=httpserver.url_for(GEOCODING_PATH), timeout_seconds=TIMEOUT_SECONDS, policy=FAST
    )


@pytest.fixture
def archive(httpserver: HTTPServer, clock: FakeClock) -> OpenMeteoArchive:
    return OpenMeteoArchive(
        base_url=httpserver.url_for(ARCHIVE_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        policy=FAST,
        clock=clock,
    )


@pytest.fixture
def met_norway(httpserver: HTTPServer, clock: FakeClock) -> MetNorwayProvider:
    return MetNorwayProvider(
        base_url=httpserver.url_for(MET_PATH),
        timeout_seconds=TIMEOUT_SECONDS,
        user_agent=USER_AGENT,
        policy=FAST,
        clock=clock,
    )
