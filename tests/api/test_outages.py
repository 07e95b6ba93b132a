"""An outage of the database or the broker is 503 problem+json with Retry-After, whichever layer
meets it, authentication and login included (CONTRACT.md §3; adapters/rest/problems.py). The real
outages (a stopped PostgreSQL, a dead or silent broker) are tests/faults/; here each is simulated
at the exact place it is met."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import OperationalError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from domain.errors import QueueUnavailable
from tests.api.conftest import DATABASES, Stored, assert_problem
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db(databases=DATABASES)


def database_down(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')


def assert_outage(response: Any, type_: str) -> None:
    body = assert_problem(response, 503)
    assert body["type"] == type_
    assert int(response["Retry-After"]) > 0


def test_token_authentication_with_the_database_down_is_503_not_500(
    stored: Stored, user: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Token.objects, "select_related", database_down)

    response = user.get("/api/v1/alert-rules/")

    assert_outage(response, "urn:f-brain:problem:storage-unavailable")


def test_login_with_the_database_down_is_503_not_500(
    stored: Stored, anonymous: APIClient, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth.backends import ModelBackend

    monkeypatch.setattr(ModelBackend, "authenticate", database_down)

    response = anonymous.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "correct horse battery"}
    )

    assert_outage(response, "urn:f-brain:problem:storage-unavailable")


class BrokerDown(FakeTaskQueue):
    def _enqueue(self, name: str, *arguments: object) -> str:
        raise QueueUnavailable("The task queue cannot be reached right now (refused).")


def test_a_refresh_with_the_broker_down_is_503_and_queues_nothing(
    stored: Stored, user: APIClient
) -> None:
    from dependency_injector import providers

    from server_config.container import container

    samara = stored.location()
    with container.task_queue.override(providers.Object(BrokerDown())):
        response = user.post(f"/api/v1/locations/{samara.id}/refresh/")

    assert_outage(response, "urn:f-brain:problem:queue-unavailable")


def test_a_status_read_with_the_database_down_is_503(
    stored: Stored, user: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dependency_injector import providers

    from server_config.container import container

    class StatusStoreDown(FakeTaskQueue):
        def status(self, task_id: str) -> Any:
            return database_down()

    with container.task_queue.override(providers.Object(StatusStoreDown())):
        response = user.get(f"/api/v1/tasks/{uuid.uuid4()}/")

    assert_outage(response, "urn:f-brain:problem:storage-unavailable")
