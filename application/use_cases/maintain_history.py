"""Upkeep of the history as it grows for years (the periodic ``weather.prepare_history`` and
``weather.purge_history`` tasks): prepare the storage ahead, and keep readings only for the
retention the operator chose (WEATHER_HISTORY_RETENTION_DAYS; none: keep everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from application.ports.clock import Clock
from application.ports.history_storage import HistoryStorage
from application.results.json_values import instant


@attrs.frozen(kw_only=True)
class PrepareHistoryResult:
    created: Sequence[str]

    def to_json(self) -> dict[str, object]:
        return {"created": list(self.created)}


class PrepareHistory:
    def __init__(self, storage: HistoryStorage, clock: Clock) -> None:
        self._storage = storage
        self._clock = clock

    def execute(self) -> PrepareHistoryResult:
        return PrepareHistoryResult(created=tuple(self._storage.prepare(self._clock.now())))


@attrs.frozen
class PurgeHistoryCommand:
    #: None keeps everything.
    retention: timedelta | None = attrs.field()

    @retention.validator
    def _positive(self, attribute: attrs.Attribute[timedelta | None], value: object) -> None:
        if isinstance(value, timedelta) and value <= timedelta(0):
            raise ValueError("The retention of history must be positive.")


@attrs.frozen(kw_only=True)
class PurgeHistoryResult:
    #: None when everything is kept.
    older_than: datetime | None
    rows_deleted: int = 0
    spans_dropped: Sequence[str] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "older_than": None if self.older_than is None else instant(self.older_than),
            "rows_deleted": self.rows_deleted,
            "spans_dropped": list(self.spans_dropped),
        }


class PurgeHistory:
    def __init__(self, storage: HistoryStorage, clock: Clock) -> None:
        self._storage = storage
        self._clock = clock

    def execute(self, command: PurgeHistoryCommand) -> PurgeHistoryResult:
        if command.retention is None:
            return PurgeHistoryResult(older_than=None)
        older_than = self._clock.now() - command.retention
        purged = self._storage.purge_older_than(older_than)
        return PurgeHistoryResult(
            older_than=older_than,
            rows_deleted=purged.rows_deleted,
            spans_dropped=tuple(purged.spans_dropped),
        )
