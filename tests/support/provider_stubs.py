"""Local stand-ins of both weather providers, speaking their real formats, that a test can break.

Open-Meteo answers what `provider_answers.answer_bytes` builds from the recorded fixture (one
answer per asked location); MET Norway answers its recorded Locationforecast excerpt. Both
fixtures fix the current reading's time, so refreshing twice yields the same observation key: a
reading stored twice would be a second row.

Each stub has a `mode` the test switches at any time:

- ``answer``: the real format, 200;
- ``server_error``: 500 with a JSON body;
- ``throttled``: 429 with ``Retry-After: 1``;
- ``hang``: answers only after `hang_seconds` (longer than the workers' HTTP timeout);
- ``malformed``: 200, ``application/json``, and a body that is not JSON;
- ``hold``: the request waits until the test calls `release()` (a worker killed mid-fetch).

Every request is counted (`requests`), per mode (`requests_by_mode`).

A provider client built in a test's own process talks to a stub with `FAST`, its production
resilience policy on a timescale a test can afford.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Literal

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.providers.http import ResiliencePolicy
from tests.support import provider_answers

Mode = Literal["answer", "server_error", "throttled", "hang", "malformed", "hold"]

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
#: The HTTP timeout of a client built against a stub.
TIMEOUT_SECONDS = 2.0
#: A worker's WEATHER_HTTP_TIMEOUT_SECONDS while a stub holds its answer: longer than any hold, so
#: the held request is neither timed out nor retried behind the test's back.
HOLD_HTTP_TIMEOUT_SECONDS = "30"
MALFORMED_BODY = b'{"latitude": 53.2, "current": {"time": 17'  # cut off mid-document


class ProviderStub:
    def __init__(self, server: HTTPServer, path: str, answer: Callable[[Request], bytes]) -> None:
        self.server = server
        self.path = path
        self._answer = answer
        self.mode: Mode = "answer"
        self.hang_seconds = 3.0
        self.requests = 0
        self.requests_by_mode: Counter[str] = Counter()
        self.request_times: list[float] = []  # time.monotonic() of each request
        self.first_request = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()
        server.expect_request(path).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for(self.path)

    def release(self) -> None:
        """Lets every held request go on (and the ones after it)."""
        self._released.set()

    def handle(self, request: Request) -> Response:
        with self._lock:
            mode = self.mode
            self.requests += 1
            self.requests_by_mode[mode] += 1
            self.request_times.append(time.monotonic())
        self.first_request.set()
        if mode == "server_error":
            return _json(b'{"error": true, "reason": "stand-in failure"}', 500)
        if mode == "throttled":
            return _json(b'{"error": true, "reason": "Too many requests"}', 429, retry_after="1")
        if mode == "malformed":
            return _json(MALFORMED_BODY, 200)
        if mode == "hang":
            time.sleep(self.hang_seconds)
        if mode == "hold":
            self._released.wait(timeout=120)
        return _json(self._answer(request), 200)


def _json(body: bytes, status: int, *, retry_after: str | None = None) -> Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return Response(body, status, headers=headers, content_type="application/json")


def _open_meteo_answer(request: Request) -> bytes:
    count = provider_answers.locations_asked(request.args.get("latitude", ""))
    return provider_answers.answer_bytes(count)


def _met_norway_answer(request: Request) -> bytes:
    return provider_answers.fixture_bytes("met-norway/locationforecast_complete_excerpt.json")


class ProviderStubs:
    """Both providers on one threaded local server (a held request blocks no other)."""

    def __init__(self, server: HTTPServer) -> None:
        self.open_meteo = ProviderStub(server, provider_answers.FORECAST_PATH, _open_meteo_answer)
        self.met_norway = ProviderStub(server, provider_answers.MET_PATH, _met_norway_answer)

    def environment(self) -> dict[str, str]:
        """What points a project's processes at the stubs, Open-Meteo first."""
        return {
            "WEATHER_PROVIDERS": "open-meteo,met-norway",
            "OPEN_METEO_FORECAST_URL": self.open_meteo.url,
            "MET_NORWAY_URL": self.met_norway.url,
        }


@contextlib.contextmanager
def stub_server() -> Iterator[HTTPServer]:
    server = HTTPServer(threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
