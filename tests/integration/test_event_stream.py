"""The live event stream as a client meets it: a real ASGI server process (gunicorn with its
uvicorn worker, as the image runs it), changes made by other processes, on the embedded defaults
(SQLite, whose wake-ups poll) and on PostgreSQL (``LISTEN``/``NOTIFY``).

Each database gets one server for the module (starting one costs seconds); each test makes its
own locations and accounts, and opens the streams it reads with plain ``http.client``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.event_streams import (
    KEEPALIVE_SECONDS,
    Deployment,
    Stream,
    asgi_server,
    events_forever,
    scratch_postgres,
)
from tests.support.processes import (
    PROJECT_DIR,
    child_environment,
    run_manage,
)

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = child_environment(
        tmp_path,
        DATABASE_URL=database_url,
        CELERY_EMBEDDED_BROKER_DIR=str(tmp_path / "broker"),
        EVENT_STREAM_KEEPALIVE_SECONDS=str(KEEPALIVE_SECONDS),
        EVENT_STREAM_MAX_SECONDS="60",
        API_THROTTLE_ANON="10000/minute",
        API_THROTTLE_USER="10000/minute",
    )
    env["PYTHONPATH"] = str(PROJECT_DIR)
    return env


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def deployment(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    tmp_path = tmp_path_factory.mktemp(f"events-{request.param}")
    with contextlib.ExitStack() as stack:
        if request.param == "postgresql":
            database_url = stack.enter_context(scratch_postgres())
        else:
            database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
        env = environment(tmp_path, database_url)
        migrated = run_manage(env, "migrate", "--noinput", timeout=120)
        assert migrated.returncode == 0, migrated.stderr
        base_url, server = stack.enter_context(asgi_server(env, tmp_path / "server.log"))
        yield Deployment(base_url, env, server)


# --- delivery and resuming ---------------------------------------------------------------------


def test_a_change_committed_by_another_process_reaches_an_open_stream(
    deployment: Deployment,
) -> None:
    stream = deployment.stream()
    location_id = deployment.change("create", "Tromsø")
    committed = time.monotonic()

    (event,) = stream.events(1)

    assert time.monotonic() - committed < 2  # the contract's delivery bound, loosely
    assert event.event == "location.created"
    assert event.data["id"] == location_id
    assert event.data["name"] == "Tromsø"
    stream.close()


def test_reconnecting_with_last_event_id_gets_every_missed_event_in_order_none_twice(
    deployment: Deployment,
) -> None:
    stream = deployment.stream()
    location_id = deployment.change("create", "Bergen")
    # A stream's live start may lag the newest event by a moment, so an earlier test's last
    # change can come first: the resume point is Bergen's own event.
    seen = next(e for e in events_forever(stream) if e.data.get("id") == location_id)
    stream.close()

    deployment.change("rename", location_id, "Bjørgvin")  # while nobody listens
    other_id = deployment.change("create", "Stavanger")
    deployment.change("delete", location_id)

    for resumed in (
        deployment.stream(**{"Last-Event-ID": str(seen.id)}),
        deployment.stream(f"?last_event_id={seen.id}"),
        # The header is the newer id (EventSource's), and wins over the URL's.
        deployment.stream("?last_event_id=0", **{"Last-Event-ID": str(seen.id)}),
    ):
        missed = resumed.events_until_quiet()
        resumed.close()
        mine = [
            e for e in missed if location_id in json.dumps(e.data) or e.data.get("id") == other_id
        ]
        assert [(e.event, e.data.get("name")) for e in mine] == [
            ("location.updated", "Bjørgvin"),
            ("location.created", "Stavanger"),
            ("location.deleted", None),
        ]
        ids = [e.id for e in missed]
        assert ids == sorted(set(ids))
        assert ids[0] > seen.id


def test_only_the_rules_owner_sees_its_alert_and_a_ticket_opens_a_stream_once(
    deployment: Deployment,
) -> None:
    owner_id, token = deployment.change("account", f"owner-{uuid.uuid4().hex[:8]}").split()
    location_id = deployment.change("create", "Narvik")
    deployment.change("rule", owner_id, location_id)
    status, ticket = deployment.post("/api/v1/events/tickets/", token)
    assert status == 201
    assert set(ticket) == {"ticket", "expires_at"}
    assert ticket["expires_at"].endswith("Z")

    anonymous = deployment.stream(f"?location={location_id}")
    by_ticket = deployment.stream(f"?location={location_id}&ticket={ticket['ticket']}")
    by_token = deployment.stream(f"?location={location_id}", Authorization=f"Token {token}")
    deployment.change("refresh", location_id)

    assert [e.event for e in by_ticket.events(2)] == ["weather.refreshed", "alert.raised"]
    alert = by_token.events(2)[1]
    assert alert.event == "alert.raised"
    assert alert.data["location_id"] == location_id
    assert [e.event for e in anonymous.events_until_quiet()] == ["weather.refreshed"]
    again = Stream(deployment.base_url, f"?ticket={ticket['ticket']}")
    assert again.response.status == 401
    assert again.response.getheader("Content-Type") == "application/problem+json"
    for stream in (anonymous, by_ticket, by_token, again):
        stream.close()


def test_a_stream_limited_to_a_location_gets_only_its_events(deployment: Deployment) -> None:
    mine = deployment.change("create", "Alta")
    stream = deployment.stream(f"?location={mine}")
    deployment.change("create", "Bodø")
    deployment.change("rename", mine, "Álttá")

    assert [(e.event, e.data["name"]) for e in stream.events_until_quiet()] == [
        ("location.updated", "Álttá")
    ]
    stream.close()


def test_unknown_or_invalid_locations_are_refused_before_streaming(deployment: Deployment) -> None:
    for query in (f"?location={uuid.uuid4()}", "?location=oslo", "?last_event_id=-1"):
        refused = Stream(deployment.base_url, query)
        assert refused.response.status == 400, query
        assert refused.response.getheader("Content-Type") == "application/problem+json"
        refused.close()


def test_a_stale_id_gets_reset_then_the_stream_goes_on_live(deployment: Deployment) -> None:
    deployment.change("create", "Hammerfest")
    deployment.change("purge")

    stream = deployment.stream(**{"Last-Event-ID": "1"})
    reset = stream.events(1)[0]
    assert reset.event == "reset"
    assert set(reset.data) == {"reason"}
    location_id = deployment.change("create", "Kirkenes")
    (live,) = stream.events(1)
    assert live.event == "location.created"
    assert live.data["id"] == location_id
    assert live.id > reset.id
    stream.close()


def test_a_quiet_stream_gets_keep_alives(deployment: Deployment) -> None:
    stream = deployment.stream(f"?location={deployment.change('create', 'Vardø')}")
    started = time.monotonic()
    blocks = [stream.block() for _ in range(3)]
    elapsed = time.monotonic() - started

    assert all(block.comments == ("keep-alive",) and not block.fields for block in blocks)
    assert elapsed < 3 * KEEPALIVE_SECONDS + 1.5
    stream.close()


# --- the server's own resources ------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def worker_pid(master: subprocess.Popen[str]) -> int:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads")


def test_open_streams_hold_no_thread_each(deployment: Deployment) -> None:
    worker = worker_pid(deployment.server)
    warm = deployment.stream()  # the pools' threads exist once a stream has run
    warm.block()
    before = threads(worker)

    streams = [deployment.stream() for _ in range(30)]
    for stream in streams:
        stream.block()  # each is open and past its set-up: sending keep-alives

    assert threads(worker) - before < 5
    for stream in [warm, *streams]:
        stream.close()


def test_a_client_that_reads_nothing_does_not_grow_the_servers_memory(
    deployment: Deployment,
) -> None:
    """80 MB of events behind a client that never reads: the server holds a page of them and
    what the sockets buffer, not the backlog; read afterwards, every event arrives in order."""
    worker = worker_pid(deployment.server)
    start = int(deployment.change("purge") and "0")
    stream = Stream(deployment.base_url, f"?last_event_id={start}")
    before = rss_kib(worker)
    deployment.change("bulk", "8000", "10000")
    time.sleep(5)  # the server sends what the sockets take, then waits
    grown_mib = (rss_kib(worker) - before) / 1024

    assert grown_mib < 30, f"the worker grew by {grown_mib:.0f} MiB"
    received = [
        block.id for block in stream.events_until_quiet() if block.event == "weather.refreshed"
    ]
    assert len(received) >= 8000
    assert received == sorted(set(received))
    stream.close()


def read_to_the_end(stream: Stream) -> None:
    while True:
        stream.block()


def test_server_shutdown_ends_open_streams_cleanly_and_at_once(tmp_path: Path) -> None:
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert run_manage(env, "migrate", "--noinput", timeout=120).returncode == 0
    with asgi_server(env, tmp_path / "server.log") as (base_url, server):
        streams = [Stream(base_url) for _ in range(3)]
        for stream in streams:
            assert stream.block().fields == {"retry": "3000"}
        stopping = time.monotonic()
        os.kill(server.pid, signal.SIGTERM)

        for stream in streams:
            with pytest.raises(EOFError):
                read_to_the_end(stream)
            assert stream.response.isclosed()  # the chunked body ended properly, not cut off
        server.wait(timeout=15)
        assert time.monotonic() - stopping < 8
    assert server.returncode == 0
