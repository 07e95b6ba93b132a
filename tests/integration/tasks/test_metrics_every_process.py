"""``/metrics`` served by the web process counts every process of the deployment (CONTRACT.md v2
§5): the web's workers, and the tasks a real Celery worker ran with the provider calls they made.

One deployment per broker, as ``make run`` and the compose files lay it out: gunicorn with two
workers writing to ``<tmp>/metrics`` (prometheus-client's multiprocess mode), a prefork worker to
``<tmp>/metrics/worker``, the stub Open-Meteo of this package. The worker refreshes a location once
(success), then, with the stub refusing, retries twice and fails. Only the web's scrape is read:
the worker and the driver processes that queued the tasks are other processes, so what they
counted reaches it only through the shared folder. The embedded run also asks every route of the
project and holds one scrape under 100 KB.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.tasks.conftest import WORKER_FLAGS, OpenMeteoStub, Project
from tests.support.processes import BIN_DIR, PROJECT_DIR, gunicorn_server

pytestmark = pytest.mark.timeout(300)

REFRESH = "weather.refresh_location"
SCRAPE_LIMIT_BYTES = 100_000
LIVE_REQUESTS = 40

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def fetch(url: str, method: str = "GET") -> tuple[int, bytes, Message]:
    data = b"{}" if method in ("POST", "PUT", "PATCH") else None
    request = urllib.request.Request(
        url, method=method, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def scrape(base_url: str) -> tuple[bytes, Samples]:
    status, body, headers = fetch(f"{base_url}/metrics")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(body.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return body, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """The sum over the samples of `name` whose labels include `labels` (0 when none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


def every_route() -> list[str]:
    """A path for every named route of the project (admin included), ids made up."""
    done = subprocess.run(
        [str(BIN_DIR / "python"), "-m", "tests.integration.tasks.routes"],
        cwd=PROJECT_DIR,
        env={"PATH": str(BIN_DIR), "DJANGO_ENV_FILE": "", "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    paths: list[str] = json.loads(done.stdout)
    return paths


POSTGRES_AND_RABBITMQ = pytest.param("rabbitmq", marks=[pytest.mark.broker])


@pytest.fixture(params=["embedded", POSTGRES_AND_RABBITMQ])
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Project:
    fixture = "embedded_project" if request.param == "embedded" else "rabbit_project"
    project: Project = request.getfixturevalue(fixture)
    project.env["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path / "metrics")
    # Every route answers at once: the event stream ends, nobody is throttled.
    project.env["EVENT_STREAM_MAX_SECONDS"] = "0.2"
    project.env["API_THROTTLE_ANON"] = "100000/minute"
    return project


def test_the_web_scrape_counts_the_tasks_and_provider_calls_of_a_real_worker(
    project: Project, stub: OpenMeteoStub, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    web_folder = Path(project.env["PROMETHEUS_MULTIPROC_DIR"])
    worker_env = {**project.env, "PROMETHEUS_MULTIPROC_DIR": str(web_folder / "worker")}
    stale = web_folder / "worker" / "counter_999999.db"  # a previous run's, emptied at start
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"stale")
    project.env, web_env = worker_env, project.env
    project.start_worker("--pool=prefork", "--concurrency=1", *WORKER_FLAGS)
    project.env = web_env

    # Two workers, as the image runs them: the scrape must count both.
    with gunicorn_server(
        web_env, timeout=120, log_file=tmp_path / "web.log", workers=2
    ) as base_url:
        queued = project.run("add-and-enqueue", "1", "one")
        [location_id] = queued["location_ids"]
        # The worker boots beside two web workers: on a loaded machine that can take a while.
        done = project.run("wait", queued["task_id"], "120", location_id, timeout=150)
        assert done["state"] == "SUCCESS", (done, project.worker_output())
        stub.mode = "reject"
        failing = project.run("enqueue-and-wait", location_id, "60")
        assert failing["state"] == "FAILURE", failing
        live = "django_http_responses_total_by_status_view_method_total"
        before = value(scrape(base_url)[1], live, view="health-live", status="200")
        for _ in range(LIVE_REQUESTS):
            assert fetch(f"{base_url}/health/live")[0] == 200

        _, samples = scrape(base_url)

        assert not stale.exists()
        # The tasks, as the worker ran them: one success, then two retries and the failure.
        runs = "weather_task_runs_total"
        assert value(samples, runs, task=REFRESH, outcome="succeeded") == 1
        assert value(samples, runs, task=REFRESH, outcome="retried") == 2
        assert value(samples, runs, task=REFRESH, outcome="failed") == 1
        assert value(samples, "weather_task_duration_seconds_count", task=REFRESH) == 4
        assert value(samples, "weather_task_duration_seconds_sum", task=REFRESH) > 0
        # Every run was published with its instant (by the driver, then by the retrying worker).
        assert value(samples, "weather_task_queue_wait_seconds_count", task=REFRESH) == 4
        # The provider calls the worker made: 1 answered, then 3 refused (the stub saw them all).
        calls = "weather_provider_calls_total"
        assert value(samples, calls, provider="open-meteo", outcome="success", status="200") == 1
        assert value(samples, calls, provider="open-meteo", outcome="rejected", status="400") == 3
        assert stub.requests == 4
        assert value(samples, "weather_provider_call_duration_seconds_count") == 4
        # The two web workers' requests, whichever of them answered each (and the scrape).
        assert value(samples, live, view="health-live", status="200") == before + LIVE_REQUESTS

        if request.node.callspec.params["project"] == "embedded":
            asked = ask_every_route(base_url)
            body, samples = scrape(base_url)
            print(f"\n/metrics after {asked} requests to every route: {len(body):,} bytes")
            assert len(body) < SCRAPE_LIMIT_BYTES
            # The admin's pages are one view; the API's each its own.
            latency = "django_http_requests_latency_seconds_by_view_method_count"
            assert value(samples, latency, view="admin") > 50
            assert value(samples, latency, view="api:location-list", method="GET") == 2  # and HEAD
            assert value(samples, latency, method="OPTIONS") == 0  # counted, not timed


def ask_every_route(base_url: str) -> int:
    """Every route with GET, and with each other method its OPTIONS answer allows."""
    asked = 0
    for path in every_route():
        status, _, headers = fetch(f"{base_url}{path}", "OPTIONS")
        methods = {"GET"}
        if status == 200:
            methods |= {m.strip() for m in headers.get("Allow", "").split(",") if m.strip()}
        for method in sorted(methods - {"OPTIONS"}):
            fetch(f"{base_url}{path}", method)
            asked += 1
        asked += 1
    return asked
