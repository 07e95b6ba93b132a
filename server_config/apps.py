"""Django start-up hook for the composition root.

``ready()`` runs in every process Django starts (web, Celery worker and beat, each management
command, the tests) once every app is loaded, and does only what all of them need; it is on the
start-up path of every command, so nothing heavy belongs here (``manage.py help`` must start in
under 1.5 s: ``python -m benchmarks.startup`` measures it and shows where the time goes).
"""

from __future__ import annotations

import gc

from django.apps import AppConfig


class ServerConfig(AppConfig):
    name = "server_config"
    label = "server_config"
    verbose_name = "F_BRAIN server configuration"

    def ready(self) -> None:
        # Importing the Celery app here makes it the current app of every process, so tasks
        # queued from a request or a command go to the configured broker. It costs little: the
        # result and beat apps have imported Celery itself already.
        from server_config import celery  # noqa: F401
        from server_config.startup import wire_adapters_on_import

        # Not the container itself: the adapters are wired as they are imported, and the
        # container (with every driven adapter) is imported when the first one needs it.
        wire_adapters_on_import()

        # What start-up created (modules, classes, models, settings) lives as long as the process.
        # Frozen, the garbage collector never traverses it again: a command's exit is 0.1 s
        # shorter (the final collections would walk all of it), and a Celery worker's forked
        # children keep sharing those memory pages with their parent (the gc module's advice).
        gc.freeze()
