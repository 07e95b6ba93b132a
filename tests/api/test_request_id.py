"""`X-Request-ID`: a caller's id is kept only when it is a reasonable id, else one is made up.

Kept: 1 to 128 characters of letters, digits and `._:-`. Anything else (too long, markup, line
breaks, spaces, several ids at once) is treated as if no id had been sent: the response echoes a
new id, and that new id is the one on the log lines and in the headers of the tasks queued.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from celery import Celery
from celery.signals import before_task_publish
from dependency_injector import providers
from django.test import Client
from rest_framework.test import APIClient

from adapters.tasks.queue import CeleryTaskQueue
from server_config.container import container
from tests.api.conftest import DATABASES, Stored

GENERATED = re.compile(r"[0-9a-f]{32}")  # django-guid's own: a UUID4 in hex

VALID = [
    "req-4242",
    "a",
    "x" * 128,
    "6f1c2a7e-3b4d-4c5e-9f60-718293a4b5c6",  # a UUID, fixed: the same test ids in every process
    "web.1:2025-12-01T10_00-A9",
]
INVALID = [
    "x" * 129,
    "x" * 5000,
    "<script>alert(1)</script>",
    "abc\r\nSet-Cookie: session=stolen",
    "abc\nforged log line",
    "abc\r",
    "two words",
    " ",
    "req-1,req-2",  # the header sent twice, as WSGI joins it
    "réq-1",
    "req\x00",
]


@pytest.mark.parametrize("request_id", VALID)
def test_a_reasonable_request_id_is_kept_and_echoed(client: Client, request_id: str) -> None:
    response = client.get("/health/live", HTTP_X_REQUEST_ID=request_id)

    assert response.status_code == 200
    assert response["X-Request-ID"] == request_id


@pytest.mark.parametrize("request_id", INVALID)
def test_an_unreasonable_request_id_is_replaced_by_a_new_one(
    client: Client, request_id: str
) -> None:
    response = client.get("/health/live", HTTP_X_REQUEST_ID=request_id)

    assert response.status_code == 200
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_without_a_request_id_one_is_made_up(client: Client) -> None:
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]

    assert GENERATED.fullmatch(first)
    assert first != second


def test_an_api_error_echoes_the_new_id_too(client: Client) -> None:
    response = client.get("/api/v1/nowhere/", HTTP_X_REQUEST_ID="<script>")

    assert response.status_code == 404
    assert GENERATED.fullmatch(response["X-Request-ID"])


# --- into the tasks a request queues ---------------------------------------------------------


@pytest.fixture
def published() -> Iterator[list[dict[str, Any]]]:
    """The headers of every task published, through a real Celery app on an in-memory broker."""
    app = Celery("request-id-test", broker="memory://", set_as_current=False)
    seen: list[dict[str, Any]] = []

    def record(headers: dict[str, Any], **_: Any) -> None:
        seen.append(dict(headers))

    before_task_publish.connect(record, weak=False)
    try:
        with container.task_queue.override(providers.Object(CeleryTaskQueue(app))):
            yield seen
    finally:
        before_task_publish.disconnect(record)
        app.close()


@pytest.mark.django_db(databases=DATABASES)
@pytest.mark.parametrize(
    ("sent", "kept"),
    [("req-4242", True), ("x" * 5000, False), ("<script>", False), ("a\r\nb", False)],
)
def test_the_tasks_a_request_queues_carry_only_the_checked_id(
    stored: Stored, staff: APIClient, published: list[dict[str, Any]], sent: str, kept: bool
) -> None:
    response = staff.post("/api/v1/refresh/", HTTP_X_REQUEST_ID=sent)

    assert response.status_code == 202
    (headers,) = published
    echoed = response["X-Request-ID"]
    assert headers["X-Request-ID"] == echoed
    assert (echoed == sent) is kept
    if not kept:
        assert GENERATED.fullmatch(echoed)
