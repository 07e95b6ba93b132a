"""Refreshes (202 + status URL) and task status (CONTRACT.md §4, Weather of a location)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from application.ports.task_queue import TaskState, TaskStatus
from tests.api.conftest import DATABASES, Stored, assert_problem, random_id
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db(databases=DATABASES)


def test_refreshing_a_location_queues_a_task_and_answers_202(
    stored: Stored, user: APIClient, tasks: FakeTaskQueue
) -> None:
    samara = stored.location()

    response = user.post(f"/api/v1/locations/{samara.id}/refresh/")

    assert response.status_code == 202
    (queued,) = tasks.queued
    assert queued.name == "refresh_location"
    assert queued.arguments == (samara.id,)
    status_url = f"http://testserver/api/v1/tasks/{queued.task_id}/"
    assert response.json() == {"task_id": queued.task_id, "status_url": status_url}
    assert response["Location"] == status_url


def test_refreshing_an_unknown_location_is_404_and_queues_nothing(
    stored: Stored, user: APIClient, tasks: FakeTaskQueue
) -> None:
    assert_problem(user.post(f"/api/v1/locations/{random_id()}/refresh/"), 404)
    assert tasks.queued == []


def test_anonymous_cannot_refresh(stored: Stored, anonymous: APIClient) -> None:
    samara = stored.location()

    assert_problem(anonymous.post(f"/api/v1/locations/{samara.id}/refresh/"), 401)


def test_staff_refreshes_every_location(
    stored: Stored, staff: APIClient, tasks: FakeTaskQueue
) -> None:
    response = staff.post("/api/v1/refresh/")

    assert response.status_code == 202
    assert tasks.names() == ["refresh_all"]
    assert response.json()["task_id"] == tasks.queued[0].task_id


def test_a_plain_user_cannot_refresh_everything(
    stored: Stored, user: APIClient, tasks: FakeTaskQueue
) -> None:
    assert_problem(user.post("/api/v1/refresh/"), 403)
    assert tasks.queued == []


def test_anonymous_cannot_refresh_everything(stored: Stored, anonymous: APIClient) -> None:
    assert_problem(anonymous.post("/api/v1/refresh/"), 401)


def test_task_status_follows_the_queue(
    stored: Stored, user: APIClient, tasks: FakeTaskQueue
) -> None:
    task_id = user.post(f"/api/v1/locations/{stored.location().id}/refresh/").json()["task_id"]

    pending = user.get(f"/api/v1/tasks/{task_id}/").json()
    tasks.statuses[task_id] = TaskStatus(
        task_id=task_id, state=TaskState.SUCCESS, result={"observations_stored": 1}
    )
    done = user.get(f"/api/v1/tasks/{task_id}/").json()
    tasks.statuses[task_id] = TaskStatus(task_id=task_id, state=TaskState.FAILURE, error="boom")
    failed = user.get(f"/api/v1/tasks/{task_id}/").json()

    assert pending == {"task_id": task_id, "state": "PENDING", "result": None, "error": None}
    assert done == {
        "task_id": task_id,
        "state": "SUCCESS",
        "result": {"observations_stored": 1},
        "error": None,
    }
    assert failed["state"] == "FAILURE"
    assert failed["error"] == "boom"


def test_task_status_needs_an_authenticated_user(stored: Stored, anonymous: APIClient) -> None:
    assert_problem(anonymous.get(f"/api/v1/tasks/{random_id()}/"), 401)


@pytest.mark.parametrize(
    "task_id", ["' OR '1'='1", "not-a-task", "9b0f6a521d7e4a3b8c550e2f4d6b8a19x", "%00"]
)
def test_a_task_id_that_is_not_a_uuid_names_no_task(
    stored: Stored, user: APIClient, task_id: str
) -> None:
    """Task ids are UUIDs (CONTRACT.md §3), so anything else is unknown, not PENDING."""
    body = assert_problem(user.get(f"/api/v1/tasks/{task_id}/"), 404)
    assert "task" in body["detail"].lower()


def test_a_task_id_is_read_in_its_canonical_form(
    stored: Stored, user: APIClient, tasks: FakeTaskQueue
) -> None:
    task_id = user.post(f"/api/v1/locations/{stored.location().id}/refresh/").json()["task_id"]
    tasks.statuses[task_id] = TaskStatus(task_id=task_id, state=TaskState.SUCCESS, result={})

    body = user.get(f"/api/v1/tasks/{task_id.upper()}/").json()

    assert (body["task_id"], body["state"]) == (task_id, "SUCCESS")
