"""Celery apps of the tests' own, configured as the project's (its ``CELERY_*`` settings) but on
a broker the test chooses, for a `CeleryTaskQueue` to send through.

None becomes the process's current app: the container's task queue, which sends through the
current one, is left as it was.
"""

from __future__ import annotations

from typing import Any

from celery import Celery


def celery_app(name: str, broker_url: str, **settings: Any) -> Celery:
    """An app like the project's, on `broker_url`, with `settings` (Celery's lower-case names)."""
    app = Celery(name, set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker_url, **settings)
    return app
