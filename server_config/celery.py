"""The Celery application (``celery -A server_config.celery worker|beat``).

Configuration comes from the Django settings (the ``CELERY_`` ones). Celery's Django fix-up runs
``django.setup()`` when a worker starts, which wires the container (see ``apps.py``); each forked
worker process then drops the singletons it inherited, since pooled connections and HTTP sessions
must not be shared across a fork.

Logging is the project's own (``settings.LOGGING``, ``LOG_FORMAT``/``LOG_LEVEL``), in workers and
beat as in the web process: Celery installs its own handlers and formats unless a receiver of
``setup_logging`` takes the job, so one does (and ``--loglevel`` is not used).

Metrics: every process that imports this app stamps the tasks it publishes and counts the tasks
it runs (``adapters/metrics/task_metrics.py``). In multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``)
a worker is the process manager of its folder: its main process empties it when it starts, before
any pool process counts, and each pool process that exits is marked dead there. So the web's
``/metrics`` shows the worker's tasks and provider calls (``docs/decisions/0021-…``).
"""

from __future__ import annotations

import logging.config
import os
import warnings
from pathlib import Path
from typing import Any

from celery import Celery
from celery.exceptions import CDeprecationWarning
from celery.signals import (
    celeryd_init,
    setup_logging,
    worker_process_init,
    worker_process_shutdown,
)
from django.conf import settings

from server_config.startup import load_settings_or_exit

load_settings_or_exit()
# After the settings, which put a PROMETHEUS_MULTIPROC_DIR of the .env into the environment
# before prometheus-client reads it (at its import).
from adapters.metrics import multiprocess, task_metrics  # noqa: E402

# From the first line on (Celery warns about running as root before it sets logging up), and with
# Python's warnings as log records, so that a JSON log stays JSON.
logging.config.dictConfig(settings.LOGGING)
logging.captureWarnings(True)
# dependency-injector's wiring reads every attribute of the task classes it inspects, Celery's
# deprecated `priority` included; nothing here uses it, so that warning says nothing.
warnings.filterwarnings("ignore", r"\s*The 'priority' task attribute", CDeprecationWarning)

app = Celery("f_brain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["adapters.tasks"], related_name="tasks")

# The embedded broker's folders must exist before anyone publishes or consumes.
for _folder in settings.CELERY_BROKER_TRANSPORT_OPTIONS.values():
    if isinstance(_folder, str):
        Path(_folder).mkdir(parents=True, exist_ok=True)


task_metrics.connect()


def _metrics_folder() -> Path | None:
    folder = settings.PROMETHEUS_MULTIPROC_DIR
    return Path(folder) if folder is not None else None


@celeryd_init.connect
def _empty_the_metrics_folder(**_: Any) -> None:
    """In the worker's main process, before its pool starts: what a previous run left goes."""
    folder = _metrics_folder()
    if folder is not None:
        multiprocess.empty_folder(folder)


@worker_process_shutdown.connect
def _mark_metrics_process_dead(pid: int | None = None, **_: Any) -> None:
    multiprocess.mark_process_dead(pid or os.getpid(), _metrics_folder())


@worker_process_init.connect
def _fresh_singletons_after_fork(**_: Any) -> None:
    from server_config.container import container

    container.reset_singletons()


@setup_logging.connect
def _log_as_the_web_process_does(**_: Any) -> None:
    """Connected, so Celery leaves logging alone: it is configured above."""


@celeryd_init.connect
def _no_banner_in_json(instance: Any, **_: Any) -> None:
    """The worker's start-up banner is printed, not logged: in JSON it would be the only lines
    that are not JSON (the ``ready`` line and the connection are logged anyway)."""
    if settings.LOG_FORMAT == "json":
        instance.quiet = True
