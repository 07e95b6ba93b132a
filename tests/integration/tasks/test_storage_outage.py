"""A task that cannot reach the database goes back to the queue instead of being acknowledged and
lost (adapters/tasks/tasks.py): run here as a worker would run it (not eagerly), with the outage
simulated at the two places it is met. The real outage, a stopped PostgreSQL under a real
worker, is tests/faults/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from celery.exceptions import Reject
from dependency_injector import providers
from django.db import OperationalError

from adapters.tasks import tasks
from domain.errors import StorageUnavailable
from server_config.container import container

pytestmark = pytest.mark.django_db


class UnreachableStorage:
    def execute(self, command: object) -> Any:
        raise StorageUnavailable("The database cannot be reached right now.")


@pytest.fixture
def as_a_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """`refresh_location` with a worker's request (a delivered message, not eager), no pause."""
    monkeypatch.setattr("adapters.tasks.tasks.time.sleep", lambda seconds: None)
    task = tasks.refresh_location
    task.push_request(id=str(uuid.uuid4()), is_eager=False, retries=0)
    yield task
    task.pop_request()


def test_storage_unavailable_in_the_use_case_puts_the_message_back(as_a_worker: Any) -> None:
    with (
        container.refresh_location.override(providers.Object(UnreachableStorage())),
        pytest.raises(Reject) as rejected,
    ):
        as_a_worker(str(uuid.uuid4()))

    assert rejected.value.requeue is True  # type: ignore[attr-defined]


def test_failing_to_record_started_puts_the_message_back_before_any_work(
    as_a_worker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[object] = []

    def backend_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(as_a_worker, "update_state", backend_down)
    with (
        container.refresh_location.override(providers.Object(ran)),
        pytest.raises(Reject) as rejected,
    ):
        as_a_worker(str(uuid.uuid4()))

    assert rejected.value.requeue is True  # type: ignore[attr-defined]
    assert ran == []


def test_a_worker_marks_its_task_started_itself(as_a_worker: Any) -> None:
    task_id = as_a_worker.request.id
    with (
        container.refresh_location.override(providers.Object(UnreachableStorage())),
        pytest.raises(Reject),
    ):
        as_a_worker(str(uuid.uuid4()))

    assert as_a_worker.AsyncResult(task_id).state == "STARTED"
