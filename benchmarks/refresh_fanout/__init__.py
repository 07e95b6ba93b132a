"""Refresh fan-out: 1,000 tracked locations refreshed through the refresh pipeline's synchronous
driver (`RefreshAll`, what ``refresh_weather --sync`` runs), against a local stub of Open-Meteo
that takes 100 ms per request — twice in one run: without alert rules, then with one active rule
per location.

Targets (issues 5 and 13): at most 10 provider requests per refresh and under 5 s end to end
(fetch + store); with the rules, within 10% of the time without them. The stub answers each
request with one recorded Open-Meteo answer per asked location (the fixture, grown to the 16
days / 384 hours the provider asks for), so parsing costs what it would in production; each run
gets its own current-reading time, so the second run's readings are news too, and its rules are
evaluated. Every rule is crossed by its reading (the dearest case: every rule's memory is written
and every rule raises an alert). Storage is PostgreSQL through the unit of work production
builds (`container.unit_of_work`: the Django unit of work with the core's event handlers, wired
by the core's bootstrap), in a scratch database.

Before both, the parse alone (issue 16): one 100-location answer (38,400 hourly points) read by
the provider as it reads them now (each column checked whole by the domain, points built from
checked columns) and, in the same run, with every point built through `HourlyPoint`'s
constructor (its converters and validators once per field, the way before): the ratio is the
figure that survives a loaded machine.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event as EventType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import attrs
from prometheus_client import REGISTRY

from benchmarks.scratch_database import django_on_scratch_postgres
from domain.locations import Coordinates, Location
from tests.support.provider_answers import FORECAST_DAYS, one_location_answer

if TYPE_CHECKING:
    from application.ports.unit_of_work import UnitOfWork
    from application.refresh.results import RefreshSummary

LOCATIONS = 1_000
STUB_LATENCY_SECONDS = 0.1
TARGET_REQUESTS = 10
TARGET_SECONDS = 5.0
TARGET_RULES_RATIO = 1.10
MAX_BATCH = 100
RUNS = 2
PROVIDER_NAME = "open-meteo-bench"


def _answers(count: int) -> list[bytes]:
    """The stub's body for `count` locations, one per run: each run's current reading is 15
    minutes later than the last one's, so that every run stores news."""
    one = one_location_answer()
    current: dict[str, Any] = one["current"]
    bodies = []
    for run in range(RUNS):
        answer = {**one, "current": {**current, "time": current["time"] + run * 15 * 60}}
        bodies.append(json.dumps(answer if count == 1 else [answer] * count).encode())
    return bodies


class _SlowStub(BaseHTTPRequestHandler):
    """Open-Meteo's forecast endpoint, answering every request after `STUB_LATENCY_SECONDS`."""

    requests_served: Synchronized[int]
    run: Synchronized[int]
    bodies: dict[int, list[bytes]]

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        count = len(query.get("latitude", [""])[0].split(","))
        if count not in self.bodies:
            self.bodies[count] = _answers(count)
        body = self.bodies[count][self.run.value]
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


def _serve(
    port: Synchronized[int], served: Synchronized[int], run: Synchronized[int], ready: EventType
) -> None:
    """The stub, in its own process: the provider is not in our process, nor under our GIL."""
    _SlowStub.requests_served = served
    _SlowStub.run = run
    _SlowStub.bodies = {MAX_BATCH: _answers(MAX_BATCH)}  # serialised once: each answer costs 100 ms
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowStub)
    port.value = server.server_address[1]
    ready.set()
    server.serve_forever()


@attrs.frozen(kw_only=True)
class Run:
    label: str
    summary: RefreshSummary
    seconds: float
    requests: int
    fetching: float
    alerts: int


def _parse_ms(provider: Any, locations: list[Location], body: bytes, rounds: int = 5) -> float:
    from adapters.providers.http import HttpAnswer

    def once() -> None:
        answer = HttpAnswer(status=200, headers={}, body=json.loads(body))
        provider._reports(answer, locations, datetime.now(UTC))

    once()
    started = time.perf_counter()
    for _ in range(rounds):
        once()
    return (time.perf_counter() - started) / rounds * 1000


def _per_point(**fields: Any) -> Any:
    """`HourlyForecast.from_columns` as it was before: one `HourlyPoint` per hour, each built
    through its constructor (converter and validator per field)."""
    from domain.forecasts import HourlyForecast, HourlyPoint

    times, columns = fields.pop("times"), fields.pop("columns")
    names = list(columns)
    points = [
        HourlyPoint(time=moment, **dict(zip(names, values, strict=True)))
        for moment, *values in zip(times, *columns.values(), strict=True)
    ]
    return HourlyForecast(points=points, **fields)


def _readings_per_value(self: Any, variables: Any) -> dict[str, list[Any]]:
    """`Series.readings` as it was before: each value read on its own (floats passed through)."""
    from adapters.providers.open_meteo.variables import measured

    def read(variable: Any, column: list[Any]) -> list[Any]:
        if variable.read is measured:
            return [v if type(v) is float else variable.read(v, "") for v in column]
        return [variable.read(v, "") for v in column]

    return {
        variable.field: read(variable, column)
        for variable in variables
        if (column := self.columns.get(variable.api_name)) is not None
    }


def _instants_per_value(self: Any, zone: Any, known: Any = None) -> list[datetime]:
    """`Series.instants` as it was before: one `datetime` built per value."""
    return [datetime.fromtimestamp(value, UTC) for value in self.times]


def _compare_parse() -> None:
    from unittest import mock

    from adapters.providers.open_meteo import OpenMeteoProvider
    from adapters.providers.open_meteo.series import Series
    from domain.forecasts import HourlyForecast

    class _Clock:
        def now(self) -> datetime:
            return datetime.now(UTC)

    provider = OpenMeteoProvider(timeout_seconds=1.0, forecast_days=FORECAST_DAYS, clock=_Clock())
    now = datetime.now(UTC)
    locations = [
        Location.register(name=f"P{i}", coordinates=Coordinates(i * 0.5, i * 0.5), now=now)
        for i in range(MAX_BATCH)
    ]
    body = _answers(MAX_BATCH)[0]
    columnar = _parse_ms(provider, locations, body)
    with (
        mock.patch.object(HourlyForecast, "from_columns", _per_point),
        mock.patch.object(Series, "readings", _readings_per_value),
        mock.patch.object(Series, "instants", _instants_per_value),
    ):
        per_point = _parse_ms(provider, locations, body)
    print(f"parse of one {MAX_BATCH}-location answer ({MAX_BATCH * FORECAST_DAYS * 24:,} hours):")
    print(f"  columns checked whole: {columnar:.0f} ms")
    print(
        f"  value by value, point by point (before): {per_point:.0f} ms "
        f"(now {columnar / per_point:.0%} of it; target: faster)"
    )


def main() -> None:
    _compare_parse()
    context = multiprocessing.get_context("spawn")
    port, served, run = context.Value("i", 0), context.Value("i", 0), context.Value("i", 0)
    ready = context.Event()
    stub = context.Process(target=_serve, args=(port, served, run, ready), daemon=True)
    stub.start()
    try:
        if not ready.wait(timeout=30):
            raise RuntimeError("The stub server did not start.")
        with django_on_scratch_postgres("f_brain_bench_fanout"):
            runs = _refresh_all_twice(port.value, served, run)
    finally:
        stub.terminate()
        stub.join(timeout=5)

    for measured in runs:
        summary = measured.summary
        print(f"{measured.label}:")
        print(f"  locations refreshed:   {summary.locations_refreshed} of {LOCATIONS}")
        print(f"  batches:               {summary.batches}")
        print(f"  provider requests:     {measured.requests}  (target <= {TARGET_REQUESTS})")
        print(f"  wall time:             {measured.seconds:.2f} s  (target < {TARGET_SECONDS:g} s)")
        print(f"    fetch + parse:       {measured.fetching:.2f} s  (100 ms stub, one fetch ahead)")
        print(f"    store + rest:        {measured.seconds - measured.fetching:.2f} s")
        print(f"  observations stored:   {summary.observations_stored}")
        print(f"  alerts raised:         {measured.alerts}")
    without, with_rules = runs
    ratio = with_rules.seconds / without.seconds
    verdict = "OK" if ratio <= TARGET_RULES_RATIO else "MISSED"
    print(
        f"with rules / without: {with_rules.seconds:.2f} s / {without.seconds:.2f} s = {ratio:.3f}"
        f"  (target <= {TARGET_RULES_RATIO:.2f}: {verdict})"
    )
    print("storage:               PostgreSQL through the Django unit of work")
    print(
        "rate budget:           none (the pipeline is built without one: the stub is no Open-Meteo)"
    )


def _refresh_all_twice(
    port: int, served: Synchronized[int], run: Synchronized[int]
) -> tuple[Run, Run]:
    from adapters.persistence import models
    from adapters.providers.open_meteo import OpenMeteoProvider
    from application.refresh.pipeline import RefreshPipeline
    from application.use_cases.refresh_all import RefreshAll, RefreshAllCommand
    from server_config.container import container

    clock = container.clock()
    # Rules without webhooks: the task queue is never asked (no broker runs here).
    uow = container.unit_of_work()
    locations = _tracked_locations(uow)
    provider = OpenMeteoProvider(
        base_url=f"http://127.0.0.1:{port}/v1/forecast",
        timeout_seconds=10.0,
        forecast_days=FORECAST_DAYS,
        name=PROVIDER_NAME,
        clock=clock,
    )
    use_case = RefreshAll(RefreshPipeline(uow, [provider]))

    def measure(label: str) -> Run:
        requests, fetching = served.value, _provider_seconds()
        alerts = models.Alert.objects.count()
        started = time.perf_counter()
        summary = use_case.execute(RefreshAllCommand())
        elapsed = time.perf_counter() - started
        return Run(
            label=label,
            summary=summary,
            seconds=elapsed,
            requests=served.value - requests,
            fetching=_provider_seconds() - fetching,
            alerts=models.Alert.objects.count() - alerts,
        )

    without = measure("without alert rules")
    _one_rule_each(uow, locations)
    run.value = 1
    with_rules = measure(f"with one active alert rule per location ({LOCATIONS:,} rules)")
    return without, with_rules


def _tracked_locations(uow: UnitOfWork) -> list[Location]:
    now = datetime.now(UTC)
    locations = [
        Location.register(
            name=f"Location {index:04d}",
            coordinates=Coordinates(-45.0 + index * 0.05, 10.0 + index * 0.1),
            timezone="Europe/Samara",
            now=now,
        )
        for index in range(LOCATIONS)
    ]
    with uow:
        for location in locations:
            uow.locations.add(location)
        uow.commit()
    return locations


def _one_rule_each(uow: UnitOfWork, locations: list[Location]) -> None:
    """One active rule per location, owned by one account; every reading crosses it."""
    from django.contrib.auth import get_user_model

    from domain.alerts import AlertRule

    owner = get_user_model()._default_manager.create_user("bench-owner")
    created = datetime.now(UTC) - timedelta(days=1)
    with uow:
        for location in locations:
            uow.alerts.add_rule(
                AlertRule(
                    owner_id=str(owner.pk),
                    location_id=location.id,
                    metric="temperature",
                    operator="gt",
                    threshold=-90.0,
                    created_at=created,
                )
            )
        uow.commit()


def _provider_seconds() -> float:
    total = REGISTRY.get_sample_value(
        "weather_provider_call_duration_seconds_sum", {"provider": PROVIDER_NAME}
    )
    return total or 0.0
