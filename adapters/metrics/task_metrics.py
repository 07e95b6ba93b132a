"""The Celery tasks' metrics, from Celery's signals: runs by task and outcome, durations, waits.

- ``weather_task_runs_total{task, outcome}``: each run of a task that ended, by how it ended:
  ``succeeded``, ``failed``, ``retried`` (it raised ``Retry``: a new run is queued), ``rejected``
  (handed back to the queue, as a task does through a storage outage), ``ignored``. A run that
  retried is one run; the retries of a task are its ``retried`` runs.
- ``weather_task_duration_seconds{task}``: the wall time of a run, whatever its outcome.
- ``weather_task_queue_wait_seconds{task}``: from the moment the task was published (a header
  that `stamp_publish_time` writes in whichever process sends it: web, beat, a worker queueing a
  retry or a batch) to the moment a worker starts it; for a task given an ETA or countdown (a
  retry's backoff), from that ETA. Across machines it holds as well as their clocks agree, and
  is never negative.

Receivers run in the process that publishes (``before_task_publish``) and in the worker process
that runs the task (``task_prerun``/``task_postrun``, the same process and thread for one run);
`connect` connects them once per process (``server_config/celery.py``). Task names are the
registered ones only (a message naming an unknown task never runs), so the label is bounded.
"""

from __future__ import annotations

import contextlib
import time
from datetime import datetime
from typing import Any, Final

from celery import signals
from prometheus_client import Counter, Histogram

PUBLISHED_AT_HEADER: Final = "published_at"
"""The message header carrying the publishing instant (Unix time, seconds)."""

OUTCOMES: Final = {
    "SUCCESS": "succeeded",
    "FAILURE": "failed",
    "RETRY": "retried",
    "REJECTED": "rejected",
    "IGNORED": "ignored",
}

TASK_RUNS = Counter(
    "weather_task_runs_total",
    "Runs of Celery tasks that ended, by task name and outcome "
    "(succeeded, failed, retried, rejected, ignored).",
    ["task", "outcome"],
)
TASK_DURATION = Histogram(
    "weather_task_duration_seconds",
    "Wall time of one run of a Celery task, by task name, whatever its outcome.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)
TASK_QUEUE_WAIT = Histogram(
    "weather_task_queue_wait_seconds",
    "Time from a task's publication (or its ETA, when it has one) to the start of its run.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)

_started: dict[str, float] = {}
"""`time.perf_counter()` at the start of each run in progress in this process, by task id."""


def stamp_publish_time(headers: dict[str, Any] | None = None, **_: Any) -> None:
    if headers is not None:
        headers[PUBLISHED_AT_HEADER] = time.time()


def record_start(task_id: str, task: Any, **_: Any) -> None:
    _started[task_id] = time.perf_counter()
    waited = _queue_wait(task.request, now=time.time())
    if waited is not None:
        TASK_QUEUE_WAIT.labels(task=task.name).observe(waited)


def record_end(task_id: str, task: Any, state: str | None = None, **_: Any) -> None:
    started = _started.pop(task_id, None)
    outcome = OUTCOMES.get(state or "", (state or "unknown").lower())
    TASK_RUNS.labels(task=task.name, outcome=outcome).inc()
    if started is not None:
        TASK_DURATION.labels(task=task.name).observe(time.perf_counter() - started)


def _queue_wait(request: Any, *, now: float) -> float | None:
    published = getattr(request, PUBLISHED_AT_HEADER, None)
    if not isinstance(published, int | float):
        return None  # run inline (eager), or sent by a process that does not stamp
    since = float(published)
    eta = getattr(request, "eta", None)
    if isinstance(eta, str):
        with contextlib.suppress(ValueError):  # not an instant: no ETA to wait for
            since = max(since, datetime.fromisoformat(eta).timestamp())
    return max(0.0, now - since)


def connect() -> None:
    """Connects the receivers (idempotent: each is connected under its own dispatch id)."""
    signals.before_task_publish.connect(
        stamp_publish_time, weak=False, dispatch_uid="metrics.stamp_publish_time"
    )
    signals.task_prerun.connect(record_start, weak=False, dispatch_uid="metrics.record_start")
    signals.task_postrun.connect(record_end, weak=False, dispatch_uid="metrics.record_end")
