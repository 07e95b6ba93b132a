"""The `HistoryStorage` port: upkeep of the stored observations as they grow for years.

Two duties, each run by a periodic task: prepare the storage for the readings to come (on
PostgreSQL, the monthly partitions ahead; nothing on SQLite), and drop the readings older than
the retention horizon, without holding a lock on the table for long (whole months at once where
the storage allows it, bounded batches otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import attrs


@attrs.frozen(kw_only=True)
class HistoryPurged:
    """What a purge removed: readings deleted one by one (in batches), and whole spans dropped
    at once (PostgreSQL's monthly partitions, by name), whose readings were not counted."""

    rows_deleted: int
    spans_dropped: Sequence[str] = ()


class HistoryStorage(Protocol):
    def prepare(self, now: datetime) -> Sequence[str]:
        """Make room for the readings of the coming months; the names of the spans created."""
        ...

    def purge_older_than(self, instant: datetime) -> HistoryPurged:
        """Remove every reading observed before `instant`, in bounded steps."""
        ...
