"""The Celery tasks: thin drivers of the use cases, with reliability declared on each task.

Every task resolves what it needs from the container by name, calls the core with primitive
arguments (ids and ISO dates as strings, since messages are JSON) and returns a small JSON-able
dict, which django-celery-results stores for `GET /api/v1/tasks/{id}/`.

Reliability, and why:

- ``acks_late`` + ``reject_on_worker_lost``: the message is acknowledged only when the task has
  finished, and a worker killed mid-task (OOM, deploy, SIGKILL) hands it back to the broker, which
  redelivers it to another worker. This is safe because every task is idempotent: observations
  are stored only when they are news against the stored reading of the same key, forecasts are
  upserted per location, backfill skips what is stored, and alert delivery leaves a delivered
  alert alone. (The embedded filesystem broker has no unacknowledged state; there a lost task is
  lost, which is accepted for a development set-up.)
- prefetch multiplier 1 (settings): a worker reserves one message per process, so a long refresh
  never holds other tasks hostage in its prefetch buffer while idle workers wait.
- soft and hard time limits: a provider that hangs past its own timeouts cannot block a worker
  process for ever; the soft limit lets the task fail cleanly, the hard one kills the process.
- retries with exponential backoff and full jitter, only for `ProviderUnavailable` (and
  `DeliveryFailed` for webhooks): those are the transient failures. Bad input, unknown ids or a
  bug fail at once — retrying them would only repeat the error. Jitter spreads the retries of
  many tasks that failed together (an upstream outage) so they do not return as a herd.
- JSON only (settings: ``accept_content``, serializers): no pickle, so a message cannot carry
  code, and any client can read results.
- Failures are stored as `TaskFailed` with a readable message (see `errors.py`).
- A refresh whose providers' call budgets are spent (`RefreshDeferred`, from the rate budget:
  ``adapters/providers/rate_budget.py``) is neither dropped nor failed: the task is retried
  under its own id when the budget has room again (at most `DEFER_MAX_SECONDS` later, jittered,
  then asked again), counted in ``weather_refresh_deferrals_total`` and logged. A deferral is
  no failure: it spends none of the task's retries (the task carries its count of deferrals,
  ``deferrals``, and its failures are its retries less those).
- A database outage loses no task. Celery's own STARTED bookkeeping (``task_track_started``)
  would write to the result backend before the task runs, and when that write fails the worker
  acknowledges the message and forgets it. So the task marks itself STARTED, and when that or any
  storage access fails (`StorageUnavailable`, or Django's connection errors from the run-lock),
  it waits a jittered moment and rejects the message back to the queue (`Reject(requeue=True)`,
  which writes nothing to the backend): the broker hands it out again until the database is back,
  then it runs and ends SUCCESS or FAILURE. The result backend itself retries its writes through
  a short outage (`results.py`).

Refresh-all fans out, as one of the two drivers of the refresh pipeline (``application/refresh``;
the other is `RefreshAll`, in one process): `PlanRefresh` cuts the tracked locations into
batches of the preferred provider's size, and the task replaces itself with a chord of one
``weather.refresh_batch`` per batch (`RefreshBatch`; the batch travels as its JSON form, its
locations as planned) whose callback (``weather.refresh_all_gather``) sums their outcomes with
the pipeline's `summarize` under the original task id — so the id the API returned reaches
SUCCESS when the last batch is in. A batch whose providers stay unavailable after its retries
reports its locations as failed instead of failing the chord. Every result is the application's
own JSON form (``to_json``): no task builds one.

Overlap: a run-lock in the database (`RunLock`, expiring after `REFRESH_ALL_LOCK_TTL`) is taken
by refresh-all and released by the gather step; a refresh-all that finds it held returns at once
with ``skipped``. The periodic task also carries ``expires`` (one interval, set by the migration),
so runs queued while no worker was up do not pile up. A database lock rather than a cache one
because the default cache is per-process memory; the expiry bounds how long a killed run blocks.
"""

from __future__ import annotations

import logging
import os
import random
import time
import uuid
from datetime import date, timedelta
from typing import Any, NoReturn

from celery import Task, chord, group, shared_task, states
from celery.exceptions import BackendStoreError, Reject
from celery.utils.time import get_exponential_backoff_interval
from dependency_injector.wiring import Provide, inject
from django.conf import settings
from django.db import InterfaceError, OperationalError
from prometheus_client import Counter

from adapters.tasks import locks
from adapters.tasks.errors import TaskFailed
from adapters.tasks.queue import (
    BACKFILL_HISTORY,
    DELIVER_ALERT,
    REFRESH_ALL,
    REFRESH_ALL_GATHER,
    REFRESH_BATCH,
    REFRESH_LOCATION,
)
from application.ports.notifier import DeliveryFailed
from application.ports.rate_budget import RefreshDeferred
from application.refresh.pipeline import summarize
from application.refresh.plan import Batch
from application.refresh.results import BatchFailed, batch_outcome_from_json
from application.use_cases.backfill_history import BackfillHistory, BackfillHistoryCommand
from application.use_cases.deliver_alert import DeliverAlert, DeliverAlertCommand
from application.use_cases.plan_refresh import PlanRefresh, PlanRefreshQuery
from application.use_cases.purge_events import PurgeEvents, PurgeEventsCommand
from application.use_cases.refresh_batch import RefreshBatch, RefreshBatchCommand
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from domain.errors import DomainError, ProviderUnavailable, StorageUnavailable

logger = logging.getLogger(__name__)

REFRESH_ALL_LOCK = "weather.refresh_all"
REFRESH_ALL_LOCK_TTL = timedelta(minutes=15)
"""Longer than a healthy refresh-all ever takes (seconds), short enough that a run killed with
its lock held delays the schedule by one interval at most."""

JSON = dict[str, Any]
DEFER_MAX_SECONDS = 300
"""The longest a deferred refresh waits before it asks the budget again: well under RabbitMQ's
consumer timeout (30 minutes), as a worker holds a task that waits for its time unacknowledged."""
DEFER_JITTER_SECONDS = 5.0
"""Spreads the deferred batches over the first seconds of the next window instead of a herd."""
REFRESH_DEFERRALS = Counter(
    "weather_refresh_deferrals_total",
    "Refresh tasks put off because every provider's call budget was spent, by task.",
    ["task"],
)
#: The database is down or unreachable: the task goes back to the queue (see the module docstring).
STORAGE_OUTAGES = (StorageUnavailable, OperationalError, InterfaceError, BackendStoreError)


class WeatherTask(Task):  # type: ignore[type-arg]
    """Base of every task here: the reliability defaults, and retry-then-fail declared as data.

    `retry_for` lists the transient errors; they are retried `max_retries` times with exponential
    backoff and full jitter. When the retries are spent, or on any other error of the core, the
    task fails with a readable `TaskFailed`.
    """

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    serializer = "json"
    retry_for: tuple[type[Exception], ...] = ()
    max_retries = settings.WEATHER_TASK_MAX_RETRIES
    retry_backoff = settings.WEATHER_TASK_RETRY_BACKOFF_SECONDS
    retry_backoff_max = 300
    retry_jitter = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            self._mark_started()
            return super().__call__(*args, **kwargs)
        except STORAGE_OUTAGES as error:
            self._requeue_for_outage(error)
        except RefreshDeferred as deferred:
            raise self._defer(deferred, kwargs) from None
        except self.retry_for as error:
            if self.may_retry():
                logger.warning("Task %s will retry: %s", self.name, error)
                raise self.retry_later(TaskFailed.from_error(error)) from None
            raise TaskFailed.from_error(error) from None
        except DomainError as error:
            raise TaskFailed.from_error(error) from None

    def _mark_started(self) -> None:
        """STARTED, as ``task_track_started`` would store it, but where a failure is ours."""
        if not self.request.is_eager and self.request.id is not None:
            self.update_state(state=states.STARTED, meta={"pid": os.getpid()})

    def _requeue_for_outage(self, error: Exception) -> NoReturn:
        """Back to the queue, after a pause so a redelivery loop does not spin while it lasts."""
        pause = random.uniform(0, float(self.retry_backoff))  # noqa: S311 - jitter, not secrecy
        logger.warning(
            "Task %s[%s] could not reach the database (%s); back to the queue in %.1f s",
            self.name,
            self.request.id,
            error,
            pause,
        )
        if self.request.is_eager:  # inline (tests, debugging): nothing to hand back
            raise TaskFailed.from_error(error) from None
        time.sleep(pause)
        raise Reject(f"storage unavailable: {error}", requeue=True) from None

    def _defer(self, deferred: RefreshDeferred, kwargs: dict[str, Any]) -> Exception:
        """The retry that runs this task again once the budget has room (see the docstring)."""
        countdown = min(deferred.retry_after_seconds, DEFER_MAX_SECONDS)
        jitter = min(DEFER_JITTER_SECONDS, countdown / 10)
        countdown += random.uniform(0, jitter)  # noqa: S311 - jitter, not secrecy
        deferrals = int(kwargs.get("deferrals", 0)) + 1
        REFRESH_DEFERRALS.labels(task=self.name).inc()
        logger.info(
            "Task %s[%s] deferred (%d time(s)), again in %.0f s: %s",
            self.name,
            self.request.id,
            deferrals,
            countdown,
            deferred,
        )
        if self.request.is_eager:  # inline: the retry runs at once, so wait here
            time.sleep(countdown)
        return self.retry(
            kwargs={**kwargs, "deferrals": deferrals},
            countdown=countdown,
            max_retries=self.request.retries + 1,  # a deferral is never a last try
        )

    def retry_later(self, failure: Exception) -> Exception:
        """Retry after a failure, with backoff; whether to is `may_retry`'s to say (Celery's own
        count of retries includes the deferrals, which are no failures)."""
        return self.retry(
            exc=failure, countdown=self.backoff(), max_retries=self.request.retries + 1
        )

    def failed_tries(self) -> int:
        """Retries spent on failures: the task's retries less its deferrals."""
        return self.request.retries - int((self.request.kwargs or {}).get("deferrals", 0))

    def may_retry(self) -> bool:
        return self.max_retries is None or self.failed_tries() < self.max_retries

    def backoff(self) -> int:
        return get_exponential_backoff_interval(
            factor=int(self.retry_backoff),
            retries=self.failed_tries(),
            maximum=self.retry_backoff_max,
            full_jitter=self.retry_jitter,
        )


@shared_task(
    base=WeatherTask,
    name=REFRESH_LOCATION,
    retry_for=(ProviderUnavailable,),
    soft_time_limit=120,
    time_limit=150,
)
@inject
def refresh_location(
    location_id: str, deferrals: int = 0, use_case: RefreshLocation = Provide["refresh_location"]
) -> JSON:
    return use_case.execute(RefreshLocationCommand(_uuid(location_id))).to_json()


@shared_task(bind=True, base=WeatherTask, name=REFRESH_ALL, soft_time_limit=60, time_limit=90)
@inject
def refresh_all(
    self: WeatherTask,
    plan_refresh: PlanRefresh = Provide["plan_refresh"],
) -> JSON:
    task_id = str(self.request.id)
    holder = locks.acquire(REFRESH_ALL_LOCK, task_id, REFRESH_ALL_LOCK_TTL)
    if holder is not None:
        logger.info("Refresh of every location skipped: %s is still running", holder)
        return {"skipped": True, "running_task_id": holder}
    try:
        plan = plan_refresh.execute(PlanRefreshQuery())
    except BaseException:
        locks.release(REFRESH_ALL_LOCK, task_id)
        raise
    if not plan.batches:
        locks.release(REFRESH_ALL_LOCK, task_id)
        return summarize([]).to_json()
    # The chord's callback takes over this task's id: its result is this task's result.
    batches = group(refresh_batch.s(batch.to_json()) for batch in plan.batches)
    return self.replace(chord(batches, refresh_all_gather.s()))  # raises Ignore in a worker


@shared_task(
    bind=True,
    base=WeatherTask,
    name=REFRESH_BATCH,
    retry_for=(),
    soft_time_limit=120,
    time_limit=150,
)
@inject
def refresh_batch(
    self: WeatherTask,
    batch: list[JSON],
    deferrals: int = 0,
    use_case: RefreshBatch = Provide["refresh_batch"],
) -> JSON:
    """One planned batch in one unit of work. Its providers' failure is retried, then reported
    as the batch's failed locations, so one bad batch does not sink the others."""
    outcome = use_case.execute(RefreshBatchCommand(Batch.from_json(batch)))
    if isinstance(outcome, BatchFailed) and self.may_retry():
        failed = TaskFailed.from_error(outcome.failure)
        raise self.retry_later(failed) from None
    return outcome.to_json()


@shared_task(
    bind=True, base=WeatherTask, name=REFRESH_ALL_GATHER, soft_time_limit=60, time_limit=90
)
def refresh_all_gather(self: WeatherTask, results: list[JSON]) -> JSON:
    """The chord's callback: sums the batches' outcomes and releases the run-lock (it runs
    under the id of the refresh-all task that took it). Every batch failed: the refresh-all
    fails with `AllProvidersUnavailable`."""
    locks.release(REFRESH_ALL_LOCK, str(self.request.id))
    return summarize([batch_outcome_from_json(result) for result in results]).to_json()


@shared_task(
    base=WeatherTask,
    name=BACKFILL_HISTORY,
    retry_for=(ProviderUnavailable,),
    soft_time_limit=900,
    time_limit=960,
)
@inject
def backfill_history(
    location_id: str,
    start_iso: str,
    end_iso: str,
    use_case: BackfillHistory = Provide["backfill_history"],
) -> JSON:
    """Idempotent and resumable: chunks already stored are skipped on a rerun or redelivery."""
    command = BackfillHistoryCommand(
        location_id=_uuid(location_id), start=_date(start_iso), end=_date(end_iso)
    )
    result = use_case.execute(command)
    return {
        "location_id": str(result.location_id),
        "provider": result.provider,
        "days": result.days,
        "observations_stored": result.observations_stored,
    }


@shared_task(
    base=WeatherTask,
    name=DELIVER_ALERT,
    retry_for=(DeliveryFailed,),
    max_retries=settings.WEATHER_TASK_MAX_RETRIES + 2,
    soft_time_limit=30,
    time_limit=45,
)
@inject
def deliver_alert(alert_id: str, use_case: DeliverAlert = Provide["deliver_alert"]) -> JSON:
    """A target that cannot take the alert now (`DeliveryFailed`) is retried; one the deployment
    refuses (`DeliveryRefused`, a `DomainError`: the alert has recorded why) fails at once, since
    no retry can change it."""
    result = use_case.execute(DeliverAlertCommand(_uuid(alert_id)))
    return {"alert_id": str(result.alert_id), "delivered": result.delivered}


PURGE_EVENTS = "weather.purge_events"


@shared_task(base=WeatherTask, name=PURGE_EVENTS, soft_time_limit=300, time_limit=360)
@inject
def purge_events(use_case: PurgeEvents = Provide["purge_events"]) -> JSON:
    """Drop the live events older than EVENT_RETENTION_HOURS (hourly, by beat: the migration
    ``0003_purge_events_schedule``), in bounded batches; the log remembers how far it purged,
    so a stream resuming from before that is told to `reset`. Idempotent: a rerun finds less."""
    retention = timedelta(hours=settings.EVENT_RETENTION_HOURS)
    return use_case.execute(PurgeEventsCommand(retention)).to_json()


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise TaskFailed(f"InvalidInput: {value!r} is not a UUID") from None


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise TaskFailed(f"InvalidInput: {value!r} is not a YYYY-MM-DD date") from None


from adapters.tasks import history  # noqa: E402, F401 - registers the history tasks
