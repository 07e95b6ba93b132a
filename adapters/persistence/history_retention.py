"""`DjangoHistoryStorage`: the `HistoryStorage` port over ``weather_observation``.

On PostgreSQL (monthly partitions, ``history_partitions.py``): `prepare` creates the partitions
ahead; the purge drops every partition that ends at or before the horizon — a catalogue change,
whatever its size, no dead rows to vacuum — then deletes the rest of the horizon's month (and any
old reading in the DEFAULT partition) in batches, so history is kept to the day, not the month.

On SQLite (one table) the purge deletes in batches only. Every batch is its own transaction of at
most `batch_size` rows, found through the key's index (location_id, observed_at, …) a group of
locations at a time, so the write lock is held briefly and no batch scans the table.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.db import OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from adapters.persistence import history_partitions, models
from adapters.persistence.errors import translated_database_errors
from application.ports.history_storage import HistoryPurged

logger = logging.getLogger(__name__)

#: Rows deleted per transaction.
PURGE_BATCH_SIZE = 5000
#: Locations whose old readings one batch looks for (an ``IN`` list on the key's first column).
LOCATIONS_PER_BATCH = 100
_LOCK_NOT_AVAILABLE = "55P03"


class DjangoHistoryStorage:
    def __init__(
        self,
        using: str = "default",
        *,
        batch_size: int = PURGE_BATCH_SIZE,
        locations_per_batch: int = LOCATIONS_PER_BATCH,
    ) -> None:
        self.using = using
        self._batch_size = batch_size
        self._locations_per_batch = locations_per_batch

    @property
    def _db(self) -> BaseDatabaseWrapper:
        return connections[self.using]

    def prepare(self, now: datetime) -> Sequence[str]:
        with translated_database_errors():
            try:
                return history_partitions.ensure_partitions(self._db, now)
            except OperationalError as error:
                if not _lock_timed_out(error):
                    raise
                logger.warning("History partitions not created, the table was busy: %s", error)
                return []

    def purge_older_than(self, instant: datetime) -> HistoryPurged:
        with translated_database_errors():
            dropped, busy = self._drop_partitions_before(instant)
            # A month left for want of its lock is dropped whole next time, not row by row now.
            deleted = 0 if busy else self._delete_before(instant)
        if deleted or dropped:
            logger.info(
                "Purged the history before %s: %d readings deleted, partitions dropped: %s",
                instant.isoformat(),
                deleted,
                ", ".join(dropped) or "none",
            )
        return HistoryPurged(rows_deleted=deleted, spans_dropped=tuple(dropped))

    def _drop_partitions_before(self, instant: datetime) -> tuple[list[str], bool]:
        """The partitions wholly before `instant` dropped: their names, and whether one was
        left because the table was busy."""
        if not history_partitions.is_partitioned(self._db):
            return [], False
        dropped, busy = [], False
        for partition in history_partitions.partitions(self._db):
            if partition.end is None or partition.end > instant:
                continue
            try:
                history_partitions.drop_partition(self._db, partition)
            except OperationalError as error:
                if not _lock_timed_out(error):
                    raise
                logger.warning("Partition %s not dropped, the table was busy", partition.name)
                busy = True
                continue
            dropped.append(partition.name)
        return dropped, busy

    def _delete_before(self, instant: datetime) -> int:
        """What is left before `instant` (the horizon's partition, the DEFAULT one, or SQLite's
        whole table), deleted in batches of at most `batch_size` rows, one transaction each."""
        rows = models.Observation.objects.using(self.using)
        location_ids = list(
            models.Location.objects.using(self.using).order_by("id").values_list("id", flat=True)
        )
        deleted = 0
        for start in range(0, len(location_ids), self._locations_per_batch):
            group = location_ids[start : start + self._locations_per_batch]
            while True:
                with transaction.atomic(using=self.using):
                    ids = list(
                        rows.filter(location_id__in=group, observed_at__lt=instant).values_list(
                            "id", flat=True
                        )[: self._batch_size]
                    )
                    if ids:
                        # observed_at again, so PostgreSQL looks only in the partitions before it.
                        count, _ = rows.filter(id__in=ids, observed_at__lt=instant).delete()
                        deleted += count
                if len(ids) < self._batch_size:
                    break
        return deleted


def _lock_timed_out(error: OperationalError) -> bool:
    return getattr(error.__cause__, "pgcode", None) == _LOCK_NOT_AVAILABLE
