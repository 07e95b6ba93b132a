"""`DjangoEventLog`: the `EventLog` port over ``weather_event`` and its retention horizon.

Reads run in autocommit, each a statement of its own: a stream reads the log, then asks
`is_kept`, and ids increase in commit order (``outbox.py``), so "after N" never misses an event
that a later read could still find below the newest one it returned.

The retention purge drops whole prefixes of the log: it finds the newest event older than the
instant, then deletes every id up to it, in batches of `batch_size`, one transaction each, which
raises the horizon (``weather_event_horizon.purged_through``, the highest id dropped) with its
deletion. So the log is always an unbroken run of ids above the horizon, `is_kept(n)` is
``n >= horizon``, and the newest id survives the purge of every row (`latest_id`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max, QuerySet, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from adapters.persistence import models
from adapters.persistence.errors import translated_database_errors
from application.ports.event_log import StoredEvent

logger = logging.getLogger(__name__)

PURGE_BATCH_SIZE = 1000
"""Rows deleted per transaction: a purge of a busy day never holds the write lock for long."""


class DjangoEventLog:
    def __init__(self, using: str = "default", *, batch_size: int = PURGE_BATCH_SIZE) -> None:
        self.using = using
        self._batch_size = batch_size

    @property
    def _rows(self) -> QuerySet[models.OutboxEvent]:
        return models.OutboxEvent.objects.using(self.using)

    @property
    def _horizons(self) -> QuerySet[models.EventLogHorizon]:
        return models.EventLogHorizon.objects.using(self.using)

    def after(self, event_id: int, *, limit: int) -> Sequence[StoredEvent]:
        with translated_database_errors():
            rows = list(self._rows.filter(id__gt=event_id).order_by("id")[:limit])
        return [_stored(row) for row in rows]

    def latest_id(self) -> int:
        with translated_database_errors():
            newest = self._rows.aggregate(newest=Max("id"))["newest"] or 0
            return max(newest, self._horizon())

    def is_kept(self, event_id: int) -> bool:
        with translated_database_errors():
            return event_id >= self._horizon()

    def purge_older_than(self, instant: datetime) -> int:
        with translated_database_errors():
            cutoff = self._rows.filter(created_at__lt=instant).aggregate(cutoff=Max("id"))["cutoff"]
            purged = 0
            while cutoff is not None:
                with transaction.atomic(using=self.using):
                    batch = list(
                        self._rows.filter(id__lte=cutoff)
                        .order_by("id")
                        .values_list("id", flat=True)[: self._batch_size]
                    )
                    if not batch:
                        break
                    deleted, _ = self._rows.filter(id__gte=batch[0], id__lte=batch[-1]).delete()
                    self._raise_horizon(batch[-1])
                purged += deleted
        if purged:
            logger.info("Purged %d live events, up to #%d", purged, cutoff)
        return purged

    def _horizon(self) -> int:
        horizon = self._horizons.filter(pk=1).values_list("purged_through", flat=True).first()
        return horizon or 0

    def _raise_horizon(self, event_id: int) -> None:
        now = timezone.now()
        raised = self._horizons.filter(pk=1).update(
            purged_through=Greatest(F("purged_through"), Value(event_id)), purged_at=now
        )
        if not raised:  # the migration's row is gone (a test database flushed)
            self._horizons.create(id=1, purged_through=event_id, purged_at=now)


def _stored(row: models.OutboxEvent) -> StoredEvent:
    return StoredEvent(
        id=row.id,
        type=row.type,
        data=row.data,
        location_ids=tuple(uuid.UUID(value) for value in row.location_ids),
        owner_id=row.owner_id or None,
        created_at=row.created_at,
    )
