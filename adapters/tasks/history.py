"""The history's periodic upkeep (docs/decisions/0022), scheduled by the migration
``0004_history_schedules`` (django-celery-beat, editable in the admin):

- ``weather.prepare_history``, daily: on PostgreSQL, the monthly partitions of the observations
  for this month and the next three, and one for any month that reached the DEFAULT partition;
- ``weather.purge_history``, hourly: the observations older than WEATHER_HISTORY_RETENTION_DAYS
  (unset: none), whole months dropped on PostgreSQL, bounded batches otherwise.

Both are idempotent (a rerun finds nothing left to do) and take their locks with a short timeout,
so a run that meets a busy table gives up and the next one does the work. Registered by the import
at the end of ``tasks.py``, which Celery's autodiscovery imports.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from dependency_injector.wiring import Provide, inject
from django.conf import settings

from adapters.tasks.tasks import JSON, WeatherTask
from application.use_cases.maintain_history import (
    PrepareHistory,
    PurgeHistory,
    PurgeHistoryCommand,
)

PREPARE_HISTORY = "weather.prepare_history"
PURGE_HISTORY = "weather.purge_history"


@shared_task(base=WeatherTask, name=PREPARE_HISTORY, soft_time_limit=300, time_limit=360)
@inject
def prepare_history(use_case: PrepareHistory = Provide["prepare_history"]) -> JSON:
    """Create the storage for the coming months' readings; the names of what it created."""
    return use_case.execute().to_json()


@shared_task(base=WeatherTask, name=PURGE_HISTORY, soft_time_limit=1800, time_limit=1900)
@inject
def purge_history(use_case: PurgeHistory = Provide["purge_history"]) -> JSON:
    """Drop the readings older than WEATHER_HISTORY_RETENTION_DAYS; with it unset, nothing."""
    days = settings.WEATHER_HISTORY_RETENTION_DAYS
    retention = None if days is None else timedelta(days=days)
    return use_case.execute(PurgeHistoryCommand(retention)).to_json()
