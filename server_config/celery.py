"""The Celery application (``celery -A server_config.celery worker|beat``).

Configuration comes from the Django settings (the ``CELERY_`` ones). Celery's Django fix-up runs
``django.setup()`` when a worker starts, which wires the container (see ``apps.py``); each forked
worker process then drops the singletons it inherited, since pooled connections and HTTP sessions
must not be shared across a fork.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import worker_process_init
from django.conf import settings

from server_config.startup import load_settings_or_exit

load_settings_or_exit()

app = Celery("f_brain")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["adapters.tasks"], related_name="tasks")

# The embedded broker's folders must exist before anyone publishes or consumes.
for _folder in settings.CELERY_BROKER_TRANSPORT_OPTIONS.values():
    if isinstance(_folder, str):
        Path(_folder).mkdir(parents=True, exist_ok=True)


@worker_process_init.connect
def _fresh_singletons_after_fork(**_: Any) -> None:
    from server_config.container import container

    container.reset_singletons()
