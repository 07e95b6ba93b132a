"""Refresh fan-out: 1,000 tracked locations refreshed through the `RefreshAllLocations` use case,
against a local stub of Open-Meteo that takes 100 ms per request.

Targets (issue 5): at most 10 provider requests and under 5 s end to end (fetch + store).
The stub answers each request with one recorded Open-Meteo answer per asked location (the
fixture, grown to the 16 days / 384 hours the provider asks for), so parsing costs what it
would in production. Storage is PostgreSQL through the Django unit of work (a scratch database).
"""

from __future__ import annotations

import multiprocessing
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event as EventType
from urllib.parse import parse_qs, urlsplit

from prometheus_client import REGISTRY

from adapters.providers.open_meteo import OpenMeteoProvider
from application.message_bus import MessageBus
from application.ports.unit_of_work import UnitOfWork
from application.use_cases.refresh_all_locations import (
    RefreshAllLocations,
    RefreshAllLocationsCommand,
    RefreshAllLocationsResult,
)
from benchmarks.scratch_database import django_on_scratch_postgres
from domain.locations import Coordinates, Location
from tests.support.open_meteo_answers import answer_bytes

LOCATIONS = 1_000
STUB_LATENCY_SECONDS = 0.1
TARGET_REQUESTS = 10
TARGET_SECONDS = 5.0
FORECAST_DAYS = 16
MAX_BATCH = 100
PROVIDER_NAME = "open-meteo-bench"


class _SlowStub(BaseHTTPRequestHandler):
    """Open-Meteo's forecast endpoint, answering every request after `STUB_LATENCY_SECONDS`."""

    requests_served: Synchronized[int]

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        count = len(query.get("latitude", [""])[0].split(","))
        body = answer_bytes(count)
        time.sleep(STUB_LATENCY_SECONDS)
        with self.requests_served.get_lock():
            self.requests_served.value += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a thousand access-log lines would drown the figures."""


def _serve(port: Synchronized[int], served: Synchronized[int], ready: EventType) -> None:
    """The stub, in its own process: the provider is not in our process, nor under our GIL."""
    _SlowStub.requests_served = served
    answer_bytes(MAX_BATCH)  # serialised once, so each answer costs only its 100 ms
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowStub)
    port.value = server.server_address[1]
    ready.set()
    server.serve_forever()


def _tracked_locations(uow: UnitOfWork) -> None:
    now = datetime.now(UTC)
    with uow:
        for index in range(LOCATIONS):
            uow.locations.add(
                Location.register(
                    name=f"Location {index:04d}",
                    coordinates=Coordinates(-45.0 + index * 0.05, 10.0 + index * 0.1),
                    timezone="Europe/Samara",
                    now=now,
                )
            )
        uow.commit()


def _provider_seconds() -> float:
    total = REGISTRY.get_sample_value(
        "weather_provider_call_duration_seconds_sum", {"provider": PROVIDER_NAME}
    )
    return total or 0.0


def main() -> None:
    context = multiprocessing.get_context("spawn")
    port = context.Value("i", 0)
    served = context.Value("i", 0)
    ready = context.Event()
    stub = context.Process(target=_serve, args=(port, served, ready), daemon=True)
    stub.start()
    try:
        if not ready.wait(timeout=30):
            raise RuntimeError("The stub server did not start.")
        with django_on_scratch_postgres("f_brain_bench_fanout"):
            result, elapsed, requests = _refresh_all(port.value, served)
    finally:
        stub.terminate()
        stub.join(timeout=5)

    fetching = _provider_seconds()
    print(f"locations refreshed:   {result.locations_refreshed} of {LOCATIONS}")
    print(f"batches:               {result.batches}")
    print(f"provider requests:     {requests}  (target <= {TARGET_REQUESTS})")
    print(f"wall time:             {elapsed:.2f} s  (target < {TARGET_SECONDS:g} s)")
    print(f"  fetch + parse:       {fetching:.2f} s  ({STUB_LATENCY_SECONDS * 1000:.0f} ms stub)")
    print(f"  store + use case:    {elapsed - fetching:.2f} s")
    print(f"observations stored:   {result.observations_stored}")
    print("storage:               PostgreSQL through the Django unit of work")


def _refresh_all(
    port: int, served: Synchronized[int]
) -> tuple[RefreshAllLocationsResult, float, int]:
    from adapters.persistence.unit_of_work import DjangoUnitOfWork
    from adapters.system.clock import SystemClock

    uow = DjangoUnitOfWork()
    _tracked_locations(uow)
    provider = OpenMeteoProvider(
        base_url=f"http://127.0.0.1:{port}/v1/forecast",
        timeout_seconds=10.0,
        forecast_days=FORECAST_DAYS,
        name=PROVIDER_NAME,
        clock=SystemClock(),
    )
    use_case = RefreshAllLocations(uow, [provider], MessageBus())

    started = time.perf_counter()
    result = use_case.execute(RefreshAllLocationsCommand())
    elapsed = time.perf_counter() - started
    return result, elapsed, served.value
