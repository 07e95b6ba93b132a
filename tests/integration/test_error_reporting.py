"""`SENTRY_DSN` turns error reporting on (server_config/error_reporting.py, docs/decisions/0026):
events reach a local stand-in for Sentry's ingestion endpoint, which keeps every envelope.

Both reporters start as production starts them, from the settings of their own process:

- the web side: gunicorn with its uvicorn workers, as the image serves the project, on settings
  that are production's plus one API route whose view raises, as a bug would
  (`error_reporting_site.py`);
- the worker side: a real Celery worker (prefork, on the embedded broker), given a real
  `weather.refresh_location` that fails (a location id that is not one), queued under a request
  id as a request queues it. Its results go to Celery's in-memory backend: the failure never
  reaches the database, so the test needs no schema.

One stand-in, one server and one worker for the module.
"""

from __future__ import annotations

import gzip
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import attrs
import pytest
from django_guid import clear_guid, set_guid
from sentry_sdk.envelope import Envelope

from tests.support.celery_apps import celery_app
from tests.support.deployment import Deployment
from tests.support.processes import child_environment, run_manage

#: The route of `error_reporting_site` whose view raises (not imported: that module is settings).
BROKEN_PATH = "api/v1/broken/"
REQUEST_ID = "req-sentry-test-0001"
TASK_REQUEST_ID = "req-sentry-test-queued"
#: Sent with the failing request: with `send_default_pii` off it must reach no event.
SECRET = "Bearer not-for-any-error-report"


class SentryStandIn(ThreadingHTTPServer):
    """Takes what sentry-sdk sends (`POST /api/<project>/envelope/`, gzipped) and keeps the
    events."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _EnvelopeHandler)
        self.events: list[dict[str, Any]] = []
        self.raw: list[bytes] = []
        self.lock = threading.Lock()

    @property
    def dsn(self) -> str:
        return f"http://public@127.0.0.1:{self.server_address[1]}/1"

    def wait_for(self, count: int, timeout: float = 60) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.events) >= count:
                    return list(self.events)
            time.sleep(0.1)
        raise AssertionError(f"{len(self.events)} events arrived, not {count}: {self.events}")


class _EnvelopeHandler(BaseHTTPRequestHandler):
    server: SentryStandIn

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        envelope = Envelope.deserialize(body)
        with self.server.lock:
            self.server.raw.append(body)
            for item in envelope.items:
                if item.type == "event":
                    event = item.get_event()
                    if event is not None:
                        self.server.events.append(dict(event))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        return


@attrs.frozen
class Reported:
    events: list[dict[str, Any]]
    raw: list[bytes]
    status: int
    task_id: str

    def event_with(self, **tags: str) -> dict[str, Any]:
        for event in self.events:
            if all(event.get("tags", {}).get(name) == value for name, value in tags.items()):
                return event
        raise AssertionError(f"no event tagged {tags}: {[e.get('tags') for e in self.events]}")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reported]:
    folder = tmp_path_factory.mktemp("error-reporting")
    stand_in = SentryStandIn()
    serving = threading.Thread(target=stand_in.serve_forever, daemon=True)
    serving.start()
    deployment = Deployment(
        folder,
        SENTRY_DSN=stand_in.dsn,
        SENTRY_ENVIRONMENT="test",
        CELERY_RESULT_BACKEND="cache+memory://",
    )
    try:
        deployment.start_worker()
        task_id = _queue_a_failing_task(folder / "broker")
        with deployment.web(DJANGO_SETTINGS_MODULE="tests.integration.error_reporting_site") as url:
            status = _get(f"{url}/{BROKEN_PATH}")
        try:
            events = stand_in.wait_for(2)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{deployment.logs()}") from None
        yield Reported(events=events, raw=list(stand_in.raw), status=status, task_id=task_id)
    finally:
        deployment.stop()
        stand_in.shutdown()
        stand_in.server_close()


def _queue_a_failing_task(broker: Path) -> str:
    """`weather.refresh_location` of an id that is no UUID, queued under a request id (django-guid
    puts it in the message, as it does for a request's tasks) on the deployment's broker."""
    folders = {"data_folder_in": "queue", "data_folder_out": "queue", "control_folder": "control"}
    app = celery_app(
        "error-reporting-test",
        "filesystem://localhost//",
        broker_transport_options={
            **{option: str(broker / name) for option, name in folders.items()},
            "processed_folder": str(broker / "processed"),
            "store_processed": False,
        },
    )
    set_guid(TASK_REQUEST_ID)
    try:
        return str(app.send_task("weather.refresh_location", args=["not-a-location-id"]).id)
    finally:
        clear_guid()


def _get(url: str) -> int:
    request = urllib.request.Request(
        url, headers={"X-Request-ID": REQUEST_ID, "Authorization": SECRET}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_view_that_raises_sends_an_event_with_the_request_id(reported: Reported) -> None:
    assert reported.status == 500  # the client still gets its problem+json

    event = reported.event_with(request_id=REQUEST_ID)

    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "a bug nobody mapped"
    assert event["environment"] == "test"
    assert event["release"].startswith("f-brain-backend@")


def test_an_event_says_which_request_it_came_from(reported: Reported) -> None:
    """The ASGI handler inside sentry-sdk's ASGI middleware (`reporting_asgi_application`)."""
    event = reported.event_with(request_id=REQUEST_ID)

    assert event["request"]["method"] == "GET"
    assert event["request"]["url"].endswith(f"/{BROKEN_PATH}")
    assert event["request"]["headers"]["authorization"] == "[Filtered]"


def test_a_failing_task_sends_an_event_with_its_task_id(reported: Reported) -> None:
    task_id = reported.task_id

    event = reported.event_with(task_id=task_id)

    assert event["tags"]["celery_task_id"] == task_id  # the integration's own tag agrees
    assert event["tags"]["request_id"] == TASK_REQUEST_ID  # the request that queued it
    assert event["exception"]["values"][-1]["type"] == "TaskFailed"
    assert event["extra"]["celery-job"]["task_name"] == "weather.refresh_location"
    assert event["environment"] == "test"


def test_nothing_personal_is_sent(reported: Reported) -> None:
    everything = b"".join(reported.raw)

    assert SECRET.encode() not in everything
    for event in reported.events:
        assert "ip_address" not in (event.get("user") or {})
    job = reported.event_with(task_id=reported.task_id)["extra"]["celery-job"]
    assert (job["args"], job["kwargs"]) == ("[Filtered]", "[Filtered]")  # a task's arguments


def test_without_a_dsn_nothing_reports(tmp_path: Path) -> None:
    env = child_environment(tmp_path)

    done = run_manage(
        env, "shell", "-c", "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_a_malformed_dsn_stops_start_up_naming_it(tmp_path: Path) -> None:
    env = child_environment(tmp_path, SENTRY_DSN="https://sentry.example.org/no-key")

    done = run_manage(env, "check")

    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1].startswith("Configuration error: SENTRY_DSN")
