"""Stub servers and provider clients wired to them, with every timeout and backoff tiny
(`tests.support.provider_stubs.FAST`).

The stub server is pytest-httpserver's, started once and threaded (a handler that sleeps to
provoke a timeout must not hold up the client's retry); each test starts with it cleared.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from adapters.providers.met_norway import MetNorwayProvider
from adapters.providers.open_meteo import OpenMeteoArchive, OpenMeteoGeocoder, OpenMeteoProvider
from tests.support.fakes.clock import FakeClock
from tests.support.provider_answers import ARCHIVE_PATH, FORECAST_PATH, GEOCODING_PATH, MET_PATH
from tests.support.provider_stubs import FAST, TIMEOUT_SECONDS

USER_AGENT = "f-brain-backend/test ops@example.org"


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
