"""prometheus-client's multiprocess mode: one folder of metric files per process manager.

With ``PROMETHEUS_MULTIPROC_DIR`` set in a process's environment (prometheus-client reads it itself,
when it is first imported), every value a metric takes is kept in a memory-mapped file of that
folder named for the process (``counter_<pid>.db``), and a scrape adds up the files of every
process. A process manager empties its folder when it starts, before any of its processes counts:
what a previous run left would be counted again, and its process ids may be reused
(`empty_folder`: gunicorn's master, a Celery worker's main process, ``make run``'s supervisor).

Two process managers never share a folder (each would empty the other's): where several run side
by side on one machine, each has its own, and the web's ``/metrics`` reads its own folder and the
folders directly inside it (`DeploymentCollector`). The compose files mount one volume for that:
web ``/app/var/metrics``, worker ``/app/var/metrics/worker``; ``make run``: ``var/metrics`` and
``var/metrics/worker``. Process ids are unique within one folder's processes, which share a
machine (a container's processes share its namespace), so no two processes write one file.

Without the variable (the tests, a plain ``manage.py runserver``) nothing here is used: metrics
live in the process's memory, as prometheus-client's single-process default.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import CollectorRegistry, multiprocess
from prometheus_client.metrics_core import Metric


def empty_folder(folder: Path) -> None:
    """Creates `folder` if needed and removes the metric files in it (not those of the folders
    inside it: another process manager's)."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink(missing_ok=True)


def mark_process_dead(pid: int, folder: Path | None) -> None:
    """What a process manager calls when one of its processes exits: the files of its live
    gauges go (``multiprocess_mode="live…"``); its counters and histograms stay counted."""
    if folder is not None:
        multiprocess.mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]


class DeploymentCollector(multiprocess.MultiProcessCollector):
    """prometheus-client's collector over `folder`'s files and those of the folders inside it
    (the other process managers' of the machine), merged as it merges one folder's."""

    def __init__(self, registry: CollectorRegistry, path: Path) -> None:
        super().__init__(registry, path=str(path))  # type: ignore[no-untyped-call]

    def collect(self) -> Iterable[Metric]:
        files = glob.glob(os.path.join(self._path, "*.db"))
        files += glob.glob(os.path.join(self._path, "*", "*.db"))
        merged: Iterable[Metric] = self.merge(sorted(files), accumulate=True)  # type: ignore[no-untyped-call]
        return merged


def deployment_registry(folder: Path) -> CollectorRegistry:
    registry = CollectorRegistry()
    DeploymentCollector(registry, folder)
    return registry
