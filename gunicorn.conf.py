"""gunicorn's configuration file, which gunicorn reads from its working directory (the repository
root, `/app` in the image). The command line (Dockerfile, compose files) says which application,
where to bind and how many workers; this file says how every worker serves.

Workers are uvicorn's (ASGI), so that an open live event stream holds no thread: the API's views
are sync and run in Django's thread pool as before, the stream is sent from the event loop
(``server_config/asgi_worker.py``, ``docs/decisions/0017-asgi-web-server.md``).

The master process checks what every worker would otherwise find out on its own, at boot: a
configuration error (a missing secret, a malformed variable) and static files that were never
collected. Found by a worker, the first made gunicorn respawn workers for ever; the second made
every dashboard and admin page answer 500 until the workers restarted after `collectstatic`.
Found here, gunicorn exits at once with one line saying what to do.

Metrics (prometheus-client's multiprocess mode, when ``PROMETHEUS_MULTIPROC_DIR`` is set): the
master empties the folder before any worker starts, and marks each worker that exits dead there,
so that ``/metrics``, whichever worker answers it, counts every worker
(``docs/decisions/0021-metrics-from-every-process.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server_config.startup import load_settings_or_exit, static_files_collected_or_exit

worker_class = "server_config.asgi_worker.EventStreamWorker"
# A stopping worker ends its event streams at once (the worker above) and its other requests
# within 10 s; gunicorn kills it only after this.
graceful_timeout = 15


def on_starting(server: Any) -> None:
    load_settings_or_exit()
    static_files_collected_or_exit()
    folder = _metrics_folder()
    if folder is not None:
        from adapters.metrics.multiprocess import empty_folder

        empty_folder(folder)


def child_exit(server: Any, worker: Any) -> None:
    from adapters.metrics.multiprocess import mark_process_dead

    mark_process_dead(worker.pid, _metrics_folder())


def _metrics_folder() -> Path | None:
    from django.conf import settings

    folder = settings.PROMETHEUS_MULTIPROC_DIR
    return Path(folder) if folder is not None else None
