"""Queueing background work and asking after it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from application.ports.task_queue import TaskState, TaskStatus
from application.use_cases.get_task_status import GetTaskStatus, GetTaskStatusQuery
from application.use_cases.request_backfill import RequestBackfill, RequestBackfillCommand
from application.use_cases.request_refresh import (
    RequestLocationRefresh,
    RequestLocationRefreshCommand,
    RequestRefreshAll,
    RequestRefreshAllCommand,
)
from domain.errors import InvalidInput, NotFound
from tests.support.builders import a_location
from tests.support.core import a_core


def test_requesting_a_refresh_queues_it_and_returns_the_task_id() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    ticket = RequestLocationRefresh(core.uow, core.tasks).execute(
        RequestLocationRefreshCommand(location.id)
    )
    (task,) = core.tasks.queued
    assert (task.task_id, task.name, task.arguments) == (
        ticket.task_id,
        "refresh_location",
        (location.id,),
    )


def test_requesting_a_refresh_of_an_unknown_location_is_not_found_and_queues_nothing() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        RequestLocationRefresh(core.uow, core.tasks).execute(
            RequestLocationRefreshCommand(uuid.uuid4())
        )
    assert core.tasks.queued == []


def test_requesting_a_refresh_of_everything_queues_one_task() -> None:
    core = a_core()
    ticket = RequestRefreshAll(core.tasks).execute(RequestRefreshAllCommand())
    assert core.tasks.names() == ["refresh_all"]
    assert core.tasks.queued[0].task_id == ticket.task_id


def test_requesting_a_backfill_checks_the_range_then_queues_it() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    request = RequestBackfill(core.uow, core.tasks)
    with pytest.raises(InvalidInput):
        request.execute(
            RequestBackfillCommand(
                location_id=location.id, start=date(2026, 2, 1), end=date(2026, 1, 1)
            )
        )
    with pytest.raises(NotFound):
        request.execute(
            RequestBackfillCommand(
                location_id=uuid.uuid4(), start=date(2026, 1, 1), end=date(2026, 1, 1)
            )
        )
    request.execute(
        RequestBackfillCommand(
            location_id=location.id, start=date(2026, 1, 1), end=date(2026, 1, 31)
        )
    )
    assert core.tasks.queued[0].arguments == (location.id, date(2026, 1, 1), date(2026, 1, 31))


def test_a_task_status_is_pending_until_the_queue_knows_better() -> None:
    core = a_core()
    status = GetTaskStatus(core.tasks)
    assert status.execute(GetTaskStatusQuery("nope")).state is TaskState.PENDING
    core.tasks.statuses["t1"] = TaskStatus(
        task_id="t1", state=TaskState.SUCCESS, result={"provider": "open-meteo"}
    )
    assert status.execute(GetTaskStatusQuery("t1")).result == {"provider": "open-meteo"}
