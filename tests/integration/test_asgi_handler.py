"""The ASGI handler serves an ordinary request on one thread of its pool, as WSGI would: the
middleware and the view, then `request_finished`, all on that thread, whose database connection
serves the next request (docs/decisions/0025-ordinary-requests-in-one-thread-hop.md)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from pytest_django import Settings as SettingsWrapper


def _get(application: Any, path: str) -> tuple[int, dict[bytes, bytes]]:
    async def call() -> tuple[int, dict[bytes, bytes]]:
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
            "root_path": "", "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
            "headers": [(b"host", b"testserver"), (b"accept", b"application/json")],
        }  # fmt: skip
        messages = [{"type": "http.request", "body": b"", "more_body": False}]
        started: dict[str, Any] = {}

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asyncio.sleep(3600)
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.update(message)

        await application(scope, receive, send)
        return started["status"], {name.lower(): value for name, value in started["headers"]}

    return asyncio.run(call())


@pytest.mark.django_db(transaction=True)
def test_an_ordinary_request_runs_on_one_pool_thread_that_keeps_its_connection(
    settings: SettingsWrapper,
) -> None:
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    from server_config.asgi import ProjectASGIHandler

    application = ProjectASGIHandler(frozenset({"/api/v1/events/"}), threads=1)
    seen: list[tuple[str, str, object]] = []

    def started(**kwargs: Any) -> None:
        seen.append(("started", threading.current_thread().name, None))

    def finished(**kwargs: Any) -> None:
        seen.append(("finished", threading.current_thread().name, connection.connection))

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        first = _get(application, "/api/v1/locations/")
        second = _get(application, "/api/v1/locations/")
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)

    assert first[0] == second[0] == 200
    assert b"x-request-id" in first[1]  # django-guid's middleware ran
    threads = {name for _, name, _ in seen}
    assert len(threads) == 1
    assert threads.pop().startswith("request")
    assert [kind for kind, _, _ in seen] == ["started", "finished", "started", "finished"]
    connections = [raw for kind, _, raw in seen if kind == "finished"]
    assert connections[0] is not None
    assert connections[0] is connections[1]
