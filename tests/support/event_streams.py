"""A deployment serving the live event stream, and a client of it, for the tests that read
streams from a real ASGI server (`tests/integration/test_event_stream.py`, and the worker's
events in `tests/integration/tasks/test_worker_events.py`): a gunicorn server with the
image's uvicorn worker, a scratch PostgreSQL database, and a stream read with `http.client`.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs
import psycopg2

from tests.conftest import required_service_url
from tests.support.processes import PROJECT_DIR, gunicorn_process

KEEPALIVE_SECONDS = 0.5


def events_forever(stream: Stream) -> Iterator[Block]:
    """Events one at a time, each within `Stream.events`' deadline."""
    while True:
        yield from stream.events(1)


@attrs.frozen
class Block:
    """One block of the stream, up to its blank line: an event, a comment or a hint."""

    fields: dict[str, str]
    comments: tuple[str, ...]

    @property
    def event(self) -> str | None:
        return self.fields.get("event")

    @property
    def id(self) -> int:
        return int(self.fields["id"])

    @property
    def data(self) -> Any:
        return json.loads(self.fields["data"])


class Stream:
    """An open ``GET /api/v1/events/``, read block by block."""

    def __init__(self, base_url: str, query: str = "", headers: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        self.connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=10
        )
        self.connection.request(
            "GET",
            f"/api/v1/events/{query}",
            headers={"Accept": "text/event-stream", **(headers or {})},
        )
        self.response = self.connection.getresponse()

    def close(self) -> None:
        self.connection.close()

    def block(self) -> Block:
        fields: dict[str, str] = {}
        comments: list[str] = []
        while True:
            line = self.response.readline()
            if not line:
                raise EOFError("the stream ended")
            text = line.decode().rstrip("\n")
            if not text:
                if fields or comments:
                    return Block(fields, tuple(comments))
                continue
            if text.startswith(":"):
                comments.append(text[1:].strip())
                continue
            name, _, value = text.partition(":")
            fields[name] = value.removeprefix(" ")

    def events(self, count: int, *, within: float = 10) -> list[Block]:
        """The next `count` events (keep-alives skipped)."""
        found: list[Block] = []
        deadline = time.monotonic() + within
        while len(found) < count:
            assert time.monotonic() < deadline, f"only {found} within {within} s"
            block = self.block()
            if block.event is not None:
                found.append(block)
        return found

    def events_until_quiet(self, quiet: float = 4 * KEEPALIVE_SECONDS) -> list[Block]:
        """Every event until the stream has sent nothing but keep-alives for `quiet` seconds
        (from now: keep-alives already buffered do not count)."""
        found: list[Block] = []
        since = time.monotonic()
        while True:
            block = self.block()
            if block.event is not None:
                found.append(block)
                since = time.monotonic()
            elif time.monotonic() - since > quiet:
                return found


@attrs.frozen
class Deployment:
    base_url: str
    env: dict[str, str]
    server: subprocess.Popen[str]

    def change(self, *args: str) -> str:
        """One change by a process of its own (``tests/support/event_changes.py``)."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.event_changes", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    def stream(self, query: str = "", **headers: str) -> Stream:
        stream = Stream(self.base_url, query, headers)
        assert stream.response.status == 200, stream.response.read()
        assert stream.response.getheader("Content-Type", "").startswith("text/event-stream")
        assert stream.block().fields == {"retry": "3000"}  # the hint comes first
        return stream

    def post(self, path: str, token: str) -> tuple[int, dict[str, Any]]:
        parts = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port, timeout=10
        )
        connection.request("POST", path, headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        body = json.loads(response.read() or b"{}")
        connection.close()
        return response.status, body


@contextlib.contextmanager
def asgi_server(env: dict[str, str], log_file: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """gunicorn with one uvicorn worker (gunicorn.conf.py), as the image serves; a stopping
    worker may take its graceful timeout to end its streams."""
    with gunicorn_process(env, log_file=log_file, stop_seconds=20) as served:
        yield served


@contextlib.contextmanager
def scratch_postgres() -> Iterator[str]:
    """A database of its own on the server of TEST_DATABASE_URL, dropped afterwards."""
    server = required_service_url("TEST_DATABASE_URL")
    name = f"events_{uuid.uuid4().hex[:12]}"
    admin_url = urlunsplit(urlsplit(server)._replace(path="/postgres"))

    def admin(statement: str) -> None:
        connection = psycopg2.connect(admin_url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    admin(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
