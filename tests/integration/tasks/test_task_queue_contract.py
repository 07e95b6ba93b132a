"""The `TaskQueue` contract, written once and run against every implementation: `CeleryTaskQueue`
on the embedded filesystem broker and on RabbitMQ (TEST_BROKER_URL; skipped without it, failed
in CI), both reading states from the project's result backend, and the `FakeTaskQueue` the other
tests rely on, so that the fake cannot promise what the real queue does not keep.

The promises: each kind of work is queued once, under the id `enqueue_…` returns, with its
arguments as a worker receives them; a task that has not run yet, and an id the queue never gave,
are `PENDING`; a task a worker finished is `SUCCESS` with its result, or `FAILURE` with the
readable reason it gave up. What reached the broker is read back from the broker itself (the
test's own queue, deleted afterwards), and a worker's outcome is written where a worker writes
it (the result backend), so no worker needs to run.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from celery import Celery, states
from kombu import Queue

from adapters.tasks import queue as celery_queue
from adapters.tasks.errors import TaskFailed
from adapters.tasks.queue import CeleryTaskQueue
from application.ports.task_queue import TaskQueue, TaskState, TaskStatus
from tests.support.celery_apps import celery_app
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db  # the result backend is the project's database

LOCATION_ID = uuid.UUID("5f0c3c1e-7d1a-4a47-9a0e-3f1b2d6c8e90")
ALERT_ID = uuid.UUID("0b4e6f0a-2c3d-4e5f-8a9b-1c2d3e4f5a6b")
START, END = date(2026, 10, 24), date(2026, 10, 26)

#: The kinds of work, named after the port's methods, and what each is sent with.
KINDS: dict[str, Callable[[TaskQueue], str]] = {
    "refresh_location": lambda tasks: tasks.enqueue_refresh_location(LOCATION_ID),
    "refresh_all": lambda tasks: tasks.enqueue_refresh_all(),
    "backfill": lambda tasks: tasks.enqueue_backfill(LOCATION_ID, START, END),
    "alert_delivery": lambda tasks: tasks.enqueue_alert_delivery(ALERT_ID),
}
#: What a worker receives for each: ids and dates as text.
ARGUMENTS: dict[str, tuple[str, ...]] = {
    "refresh_location": (str(LOCATION_ID),),
    "refresh_all": (),
    "backfill": (str(LOCATION_ID), START.isoformat(), END.isoformat()),
    "alert_delivery": (str(ALERT_ID),),
}


@attrs.frozen
class Sent:
    task_id: str
    kind: str
    arguments: tuple[str, ...]


@attrs.frozen
class Subject:
    """A task queue under test, what reached its broker, and how a worker's outcome is
    recorded: `finish(task_id, result, error)`, a success with `result` unless `error`."""

    tasks: TaskQueue
    sent: Callable[[], list[Sent]]
    finish: Callable[[str, dict[str, Any] | None, str | None], None]


# --- the in-memory fake --------------------------------------------------------------------------

FAKE_KINDS = {"deliver_alert": "alert_delivery"}


def fake_queue() -> Subject:
    fake = FakeTaskQueue()

    def sent() -> list[Sent]:
        return [
            Sent(
                task.task_id,
                FAKE_KINDS.get(task.name, task.name),
                tuple(_as_text(argument) for argument in task.arguments),
            )
            for task in fake.queued
        ]

    def finish(task_id: str, result: dict[str, Any] | None, error: str | None) -> None:
        state = TaskState.FAILURE if error is not None else TaskState.SUCCESS
        status = TaskStatus(task_id=task_id, state=state, result=result, error=error)
        fake.statuses[task_id] = status

    return Subject(fake, sent, finish)


def _as_text(argument: object) -> str:
    return argument.isoformat() if isinstance(argument, date) else str(argument)


# --- Celery, on a broker -------------------------------------------------------------------------

CELERY_KINDS = {
    celery_queue.REFRESH_LOCATION: "refresh_location",
    celery_queue.REFRESH_ALL: "refresh_all",
    celery_queue.BACKFILL_HISTORY: "backfill",
    celery_queue.DELIVER_ALERT: "alert_delivery",
}


def celery_queue_on(app: Celery, queue: str) -> Subject:
    def sent() -> list[Sent]:
        found = []
        with app.connection_for_read() as connection:
            waiting = Queue(queue, channel=connection.default_channel)
            while (message := waiting.get(no_ack=True)) is not None:
                arguments, _kwargs, _embed = message.decode()
                headers = message.headers
                found.append(Sent(headers["id"], CELERY_KINDS[headers["task"]], tuple(arguments)))
        return found

    def finish(task_id: str, result: dict[str, Any] | None, error: str | None) -> None:
        # As a worker ends a task (adapters/tasks/tasks.py): its result, or `TaskFailed`.
        if error is not None:
            app.backend.store_result(task_id, TaskFailed(error), states.FAILURE)
        else:
            app.backend.store_result(task_id, result, states.SUCCESS)

    return Subject(CeleryTaskQueue(app), sent, finish)


@contextlib.contextmanager
def embedded_broker(folder: Path) -> Iterator[Subject]:
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
    }
    for path in options.values():
        Path(path).mkdir(parents=True, exist_ok=True)
    app = celery_app(
        "task-queue-contract",
        "filesystem://localhost//",
        broker_transport_options=options,
        task_default_queue="celery",
    )
    try:
        yield celery_queue_on(app, "celery")
    finally:
        app.close()


@contextlib.contextmanager
def rabbitmq(broker_url: str) -> Iterator[Subject]:
    queue = f"test-queue-contract-{uuid.uuid4().hex[:12]}"  # this test's alone
    app = celery_app("task-queue-contract", broker_url, task_default_queue=queue)
    try:
        yield celery_queue_on(app, queue)
    finally:
        with contextlib.suppress(Exception), app.connection_for_write() as connection:
            connection.default_channel.queue_delete(queue)  # type: ignore[attr-defined]
        app.close()


@pytest.fixture(params=["in-memory fake", "embedded broker", "rabbitmq"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Subject]:
    if request.param == "in-memory fake":
        yield fake_queue()
    elif request.param == "embedded broker":
        with embedded_broker(tmp_path / "broker") as subject:
            yield subject
    else:
        with rabbitmq(request.getfixturevalue("broker_url")) as subject:
            yield subject


# --- the contract --------------------------------------------------------------------------------


def test_each_kind_of_work_is_queued_once_under_the_id_it_returns(subject: Subject) -> None:
    ids = {kind: enqueue(subject.tasks) for kind, enqueue in KINDS.items()}

    assert all(isinstance(task_id, str) and task_id for task_id in ids.values())
    assert len(set(ids.values())) == len(KINDS)
    assert sorted(subject.sent(), key=lambda sent: sent.task_id) == sorted(
        (Sent(ids[kind], kind, ARGUMENTS[kind]) for kind in KINDS),
        key=lambda sent: sent.task_id,
    )


def test_a_task_that_has_not_run_yet_is_pending(subject: Subject) -> None:
    task_id = subject.tasks.enqueue_refresh_all()

    assert subject.tasks.status(task_id) == TaskStatus(task_id=task_id, state=TaskState.PENDING)


def test_an_id_the_queue_never_gave_is_pending(subject: Subject) -> None:
    unknown = str(uuid.uuid4())

    assert subject.tasks.status(unknown) == TaskStatus(task_id=unknown, state=TaskState.PENDING)


def test_a_task_a_worker_finished_reports_its_result(subject: Subject) -> None:
    task_id = subject.tasks.enqueue_refresh_location(LOCATION_ID)
    result = {"location_id": str(LOCATION_ID), "observations_stored": 1}

    subject.finish(task_id, result, None)

    assert subject.tasks.status(task_id) == TaskStatus(
        task_id=task_id, state=TaskState.SUCCESS, result=result
    )


def test_a_task_a_worker_gave_up_on_reports_why(subject: Subject) -> None:
    task_id = subject.tasks.enqueue_refresh_all()
    reason = "AllProvidersUnavailable: open-meteo is unavailable: timed out"

    subject.finish(task_id, None, reason)

    assert subject.tasks.status(task_id) == TaskStatus(
        task_id=task_id, state=TaskState.FAILURE, error=reason
    )
